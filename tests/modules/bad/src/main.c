/* main.c - fixture: main names a module (a breach) */
#include "a/a.h"
#include "modules.h"
