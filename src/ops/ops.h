/*
 * ops.h - the operator's module: health and readiness probes, Prometheus
 * metrics, the OpenAPI document, the route listing, and the test-only clock.
 *
 * Tables ops owns: test_clock (the test clock's offset, shared by the nodes).
 */
#ifndef YW_OPS_OPS_H
#define YW_OPS_OPS_H

#include "core/cli.h"
#include "core/mem.h"
#include "http/http.h"

extern const struct yw_module yw_ops_module;

/* Convert the YAML text to compact JSON text (malloc'd into *out).  Supports
 * the YAML an OpenAPI document uses: mappings, sequences, plain and quoted
 * scalars, block literals; no anchors.  Returns 0 or YW_EINVAL with err. */
int yw_ops_yaml_to_json(const char *yaml, size_t n, char **out, size_t *outlen, struct yw_err *err);

/* `ywtb calendar import` and `ywtb calendar show` (calendar_cmd.c). */
extern const struct yw_command yw_ops_commands[];

/* Resident set size of this process in bytes (0 when unknown). */
uint64_t yw_ops_rss_bytes(void);

#endif
