/*
 * embed.h - files compiled into the binary (migrations, the OpenAPI document),
 * so that an installed `ywtb` never depends on finding them on disk.  The table
 * is generated at build time by scripts/embed.sh into build/gen/embedded.c.
 */
#ifndef YW_CORE_EMBED_H
#define YW_CORE_EMBED_H

#include <stddef.h>

struct yw_embedded {
    const char *name; /* path relative to the source tree: "migrations/pg/0001_base.sql" */
    const char *data; /* NUL-terminated */
    size_t len;
};

extern const struct yw_embedded yw_embedded_files[];
extern const size_t yw_embedded_count;

/* The embedded file with this name, or NULL. */
const struct yw_embedded *yw_embedded_find(const char *name);

#endif
