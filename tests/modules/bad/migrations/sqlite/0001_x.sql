-- fixture for tests/modules/check.test.js: three tables, one without an owner
CREATE TABLE alpha (id INTEGER PRIMARY KEY);
CREATE TABLE beta (id INTEGER PRIMARY KEY);
CREATE TABLE gamma (id INTEGER PRIMARY KEY);
