/*
 * internal.h - what the ops module's files share (ops.c, calendar_cmd.c,
 * audit_log.c) and nothing else includes.
 */
#ifndef YW_OPS_INTERNAL_H
#define YW_OPS_INTERNAL_H

#include "core/config.h"
#include "ops/ops.h"

#include <stdint.h>

struct yw_ops_settings {
    int64_t audit_seal_seconds;
};
extern const struct yw_settings yw_ops__settings_table;

/* audit_log.c: the periodic seal, `ywtb audit seal` and the public routes of
 * the audit log's signed tree. */
int yw_ops__sealer_start(struct yw_app *app, struct yw_err *err);
void yw_ops__sealer_stop(void);
int yw_ops__cmd_audit_seal(struct yw_cli *cli);
/* The module's sealed_keys hook (http.h): the audit log's tree-head key. */
int yw_ops__sealed_keys(struct yw_dbc *c, const char **what);
int yw_ops__h_sth(struct yw_req *req);
int yw_ops__h_sths(struct yw_req *req);
int yw_ops__h_keys(struct yw_req *req);
int yw_ops__h_inclusion(struct yw_req *req);
int yw_ops__h_consistency(struct yw_req *req);

#endif
