-- 0020_journeys: a material of a bundle's sub-case can be satisfied two more
-- ways (issue 15): 'form' - the bundle's one form stands for it (一表生成: the
-- registration and application tables the departments need are made from it);
-- 'step' - an earlier step of the bundle issues the e-license it asks for (ref
-- names that item); when the step starts the material becomes 'license'.
-- SQLite cannot change a CHECK in place: the table is rebuilt, rows kept.
-- Never edit: add a new number.
ALTER TABLE case_materials RENAME TO case_materials_old;
CREATE TABLE case_materials (
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    material_code  TEXT NOT NULL,
    name           TEXT NOT NULL,
    required       TEXT NOT NULL,
    license_type   TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT 'none'
                   CHECK (source IN ('none', 'file', 'license', 'form', 'step')),
    ref            TEXT NOT NULL DEFAULT '',      -- upload id, license id, or the item that issues it
    sort           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, material_code)
);
INSERT INTO case_materials (case_id, material_code, name, required, license_type, source, ref, sort)
    SELECT case_id, material_code, name, required, license_type, source, ref, sort FROM case_materials_old;
DROP TABLE case_materials_old;
CREATE INDEX case_materials_file ON case_materials (ref, case_id) WHERE source = 'file';
