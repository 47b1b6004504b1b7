/*
 * audit_internal.h - what the audit log's files (audit.c, audit_tree.c,
 * audit_seal.c, audit_verify.c) share and nothing else includes.
 */
#ifndef YW_DB_AUDIT_INTERNAL_H
#define YW_DB_AUDIT_INTERNAL_H

#include "db/audit.h"

#define YW_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* Subtree roots of this many leaves and more are kept in audit_nodes. */
#define YW_AUDIT_NODE_MIN 16
#define YW_AUDIT_NODE_MIN_LEVEL 4

/* The right edge of a tree of `size` leaves: the roots of its perfect
 * subtrees, largest first (one per bit of size). */
struct yw_audit_frontier {
    int64_t size;
    int n;
    int level[64];
    unsigned char h[64][YW_SM3_LEN];
};

/* Append a leaf; done (may be NULL) hears every subtree it completes. */
void yw_audit__frontier_push(struct yw_audit_frontier *f, const unsigned char leaf[YW_SM3_LEN],
                             void (*done)(void *ctx, int level, int64_t idx,
                                          const unsigned char h[YW_SM3_LEN]),
                             void *ctx);
void yw_audit__frontier_root(const struct yw_audit_frontier *f, unsigned char out[YW_SM3_LEN]);
/* As stored in audit_sth.frontier (hex, largest first), and back. */
void yw_audit__frontier_text(const struct yw_audit_frontier *f, struct yw_buf *out);
int yw_audit__frontier_parse(struct yw_audit_frontier *f, int64_t size, const char *text);
/* 64 hex digits to 32 bytes: 0 or YW_EINVAL. */
int yw_audit__unhex(const char *hex, unsigned char out[YW_SM3_LEN]);

#endif
