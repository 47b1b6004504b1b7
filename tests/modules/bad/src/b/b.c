/* b.c - fixture: reads a's table and a's internal header (two breaches) */
#include "b/b.h"
#include "a/internal.h"
#include "a/a.h"
static const char *ok = "SELECT id FROM beta WHERE id = ?";
static const char *bad = "SELECT id FROM alpha WHERE id = ?";
/* a comment naming alpha in "SELECT * FROM alpha" is not SQL */
