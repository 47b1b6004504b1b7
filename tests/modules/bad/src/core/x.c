/* x.c - fixture: core includes a module (a breach) */
#include "b/b.h"
