/*
 * audit_tree.c - the Merkle tree over the audit records (see audit.h): RFC
 * 9162's hashing with SM3, the proofs a log serves (inclusion of one record,
 * consistency of two tree heads) read from the sealed leaves and the cached
 * subtree roots (audit_nodes), and the checks an outside auditor makes of them.
 *
 * Leaf i of the tree is the record whose `leaf` column is i; its leaf hash is
 * SM3(0x00 || the record's 32-byte chain hash).  The tree of n leaves is RFC
 * 9162's MTH: the left subtree holds the largest power of two below n.
 */
#include "db/audit.h"

#include "db/db_internal.h"
#include "db/audit_internal.h"

#include <string.h>

void
yw_audit_sth_signed(struct yw_buf *out, int64_t tree_size, int64_t timestamp_ms,
                    const char *root_hex)
{
    yw_buf_printf(out, "ywtb-sth-v1\n%lld\n%lld\n%s\n", (long long)tree_size,
                  (long long)timestamp_ms, root_hex);
}

int
yw_audit__unhex(const char *hex, unsigned char out[YW_SM3_LEN])
{
    if (hex == NULL || strlen(hex) != 2 * YW_SM3_LEN)
        return YW_EINVAL;
    for (int i = 0; i < YW_SM3_LEN; i++) {
        int v = 0;
        for (int j = 0; j < 2; j++) {
            char ch = hex[2 * i + j];
            int d = ch >= '0' && ch <= '9'   ? ch - '0'
                    : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                             : -1;
            if (d < 0)
                return YW_EINVAL;
            v = v * 16 + d;
        }
        out[i] = (unsigned char)v;
    }
    return 0;
}

int
yw_audit_leaf_hash(const char *record_hash_hex, unsigned char out[YW_SM3_LEN])
{
    unsigned char in[1 + YW_SM3_LEN];
    in[0] = 0x00;
    if (yw_audit__unhex(record_hash_hex, in + 1))
        return YW_EINVAL;
    return yw_sm3(in, sizeof in, out);
}

void
yw_audit_node_hash(const unsigned char l[YW_SM3_LEN], const unsigned char r[YW_SM3_LEN],
                   unsigned char out[YW_SM3_LEN])
{
    unsigned char in[1 + 2 * YW_SM3_LEN];
    in[0] = 0x01;
    memcpy(in + 1, l, YW_SM3_LEN);
    memcpy(in + 1 + YW_SM3_LEN, r, YW_SM3_LEN);
    yw_sm3(in, sizeof in, out);
}

void
yw_audit_empty_root(unsigned char out[YW_SM3_LEN])
{
    yw_sm3("", 0, out);
}

/* ---- the frontier: the roots of the perfect subtrees along the right edge ---- */

void
yw_audit__frontier_push(struct yw_audit_frontier *f, const unsigned char leaf[YW_SM3_LEN],
                        void (*done)(void *ctx, int level, int64_t idx,
                                     const unsigned char h[YW_SM3_LEN]),
                        void *ctx)
{
    memcpy(f->h[f->n], leaf, YW_SM3_LEN);
    f->level[f->n] = 0;
    f->n++;
    int64_t index = f->size; /* the leaf's index */
    f->size++;
    while (f->n >= 2 && f->level[f->n - 1] == f->level[f->n - 2]) {
        unsigned char m[YW_SM3_LEN];
        yw_audit_node_hash(f->h[f->n - 2], f->h[f->n - 1], m);
        f->n--;
        f->level[f->n - 1]++;
        memcpy(f->h[f->n - 1], m, YW_SM3_LEN);
        int level = f->level[f->n - 1];
        if (done)
            done(ctx, level, index >> level, m);
    }
}

void
yw_audit__frontier_root(const struct yw_audit_frontier *f, unsigned char out[YW_SM3_LEN])
{
    if (f->n == 0) {
        yw_audit_empty_root(out);
        return;
    }
    unsigned char r[YW_SM3_LEN];
    memcpy(r, f->h[f->n - 1], YW_SM3_LEN);
    for (int i = f->n - 2; i >= 0; i--)
        yw_audit_node_hash(f->h[i], r, r);
    memcpy(out, r, YW_SM3_LEN);
}

void
yw_audit__frontier_text(const struct yw_audit_frontier *f, struct yw_buf *out)
{
    for (int i = 0; i < f->n; i++) {
        char hex[YW_AUDIT_HEX];
        yw_hex(f->h[i], YW_SM3_LEN, hex);
        yw_buf_adds(out, hex);
    }
}

int
yw_audit__frontier_parse(struct yw_audit_frontier *f, int64_t size, const char *text)
{
    memset(f, 0, sizeof *f);
    f->size = size;
    size_t len = strlen(text);
    int want = 0;
    for (int b = 62; b >= 0; b--)
        if (size & ((int64_t)1 << b)) {
            if ((size_t)(want + 1) * 2 * YW_SM3_LEN > len)
                return YW_EINVAL;
            char hex[YW_AUDIT_HEX];
            memcpy(hex, text + (size_t)want * 2 * YW_SM3_LEN, 2 * YW_SM3_LEN);
            hex[2 * YW_SM3_LEN] = '\0';
            if (yw_audit__unhex(hex, f->h[want]))
                return YW_EINVAL;
            f->level[want] = b;
            want++;
        }
    f->n = want;
    return (size_t)want * 2 * YW_SM3_LEN == len ? 0 : YW_EINVAL;
}

/* ---- subtree roots read from the database ---- */

static int64_t
split_point(int64_t n) /* the largest power of two below n (n >= 2) */
{
    int64_t k = 1;
    while (k * 2 < n)
        k *= 2;
    return k;
}

static bool
is_pow2(int64_t n)
{
    return n > 0 && (n & (n - 1)) == 0;
}

static int
level_of(int64_t n)
{
    int l = 0;
    while (((int64_t)1 << l) < n)
        l++;
    return l;
}

/* The root of leaves [lo, hi) computed from the leaves themselves (a few). */
static int
mth_leaves(struct yw_dbc *c, int64_t lo, int64_t hi, unsigned char out[YW_SM3_LEN])
{
    struct yw_audit_frontier f;
    memset(&f, 0, sizeof f);
    struct yw_stmt *s = yw_db_query(
        c, "SELECT leaf, hash FROM audit_log WHERE leaf >= ? AND leaf < ? ORDER BY leaf", "ii",
        lo, hi);
    if (s == NULL)
        return YW_EDB;
    int rc;
    int64_t expect = lo;
    while ((rc = yw_db_step(s)) == YW_ROW) {
        unsigned char leaf[YW_SM3_LEN];
        if (yw_db_col_int(s, 0) != expect || yw_audit_leaf_hash(yw_db_col_text(s, 1), leaf)) {
            yw_db_reset(s);
            return YW_ESTATE; /* a leaf is missing or damaged: no proof */
        }
        yw_audit__frontier_push(&f, leaf, NULL, NULL);
        expect++;
    }
    if ((rc = yw_db_finish(s, rc)))
        return rc;
    if (expect != hi)
        return YW_ESTATE;
    yw_audit__frontier_root(&f, out);
    return 0;
}

/* MTH(D[lo:hi]) for a range the RFC's recursion produces. */
static int
mth(struct yw_dbc *c, int64_t lo, int64_t hi, unsigned char out[YW_SM3_LEN])
{
    int64_t n = hi - lo;
    if (is_pow2(n) && n >= YW_AUDIT_NODE_MIN && lo % n == 0) {
        struct yw_stmt *s;
        int rc = yw_db_one_row(c, &s, "SELECT hash FROM audit_nodes WHERE level = ? AND idx = ?",
                               "ii", (int64_t)level_of(n), lo / n);
        if (rc == 0) {
            rc = yw_audit__unhex(yw_db_col_text(s, 0), out) ? YW_ESTATE : 0;
            yw_db_reset(s);
            return rc;
        }
        if (rc != YW_ENOTFOUND)
            return rc;
    }
    if (n <= YW_AUDIT_NODE_MIN)
        return mth_leaves(c, lo, hi, out);
    int64_t k = split_point(n);
    unsigned char l[YW_SM3_LEN], r[YW_SM3_LEN];
    int rc = mth(c, lo, lo + k, l);
    if (rc == 0)
        rc = mth(c, lo + k, hi, r);
    if (rc == 0)
        yw_audit_node_hash(l, r, out);
    return rc;
}

/* RFC 9162 2.1.3.1 PATH(m, D[lo:hi]), appended bottom-up. */
static int
path(struct yw_dbc *c, int64_t m, int64_t lo, int64_t hi, unsigned char (*out)[YW_SM3_LEN],
     int *n)
{
    if (hi - lo <= 1)
        return 0;
    int64_t k = split_point(hi - lo);
    int rc;
    unsigned char h[YW_SM3_LEN];
    if (m < k) {
        rc = path(c, m, lo, lo + k, out, n);
        if (rc == 0)
            rc = mth(c, lo + k, hi, h);
    } else {
        rc = path(c, m - k, lo + k, hi, out, n);
        if (rc == 0)
            rc = mth(c, lo, lo + k, h);
    }
    if (rc)
        return rc;
    if (*n >= YW_AUDIT_MAX_PROOF)
        return YW_EINTERNAL;
    memcpy(out[(*n)++], h, YW_SM3_LEN);
    return 0;
}

/* RFC 9162 2.1.4.1 SUBPROOF(m, D[lo:hi], b). */
static int
subproof(struct yw_dbc *c, int64_t m, int64_t lo, int64_t hi, bool b,
         unsigned char (*out)[YW_SM3_LEN], int *n)
{
    int64_t size = hi - lo;
    unsigned char h[YW_SM3_LEN];
    int rc;
    if (m == size) {
        if (b)
            return 0;
        rc = mth(c, lo, hi, h);
    } else {
        int64_t k = split_point(size);
        if (m <= k) {
            rc = subproof(c, m, lo, lo + k, b, out, n);
            if (rc == 0)
                rc = mth(c, lo + k, hi, h);
        } else {
            rc = subproof(c, m - k, lo + k, hi, false, out, n);
            if (rc == 0)
                rc = mth(c, lo, lo + k, h);
        }
    }
    if (rc)
        return rc;
    if (*n >= YW_AUDIT_MAX_PROOF)
        return YW_EINTERNAL;
    memcpy(out[(*n)++], h, YW_SM3_LEN);
    return 0;
}

static int
sealed_size(struct yw_dbc *c, int64_t *size)
{
    *size = 0;
    int rc = yw_db_one_int(c, size, "SELECT COALESCE(MAX(tree_size), 0) FROM audit_sth", NULL);
    return rc == YW_ENOTFOUND ? 0 : rc;
}

int
yw_audit_inclusion(struct yw_dbc *c, int64_t seq, int64_t tree_size, int64_t *leaf_index,
                   char record_hash[YW_AUDIT_HEX], unsigned char (*out)[YW_SM3_LEN], int *npath)
{
    *npath = 0;
    struct yw_stmt *s;
    int rc = yw_db_one_row(c, &s, "SELECT leaf, hash FROM audit_log WHERE seq = ?", "i", seq);
    if (rc)
        return rc;
    bool unsealed = yw_db_col_null(s, 0);
    *leaf_index = unsealed ? -1 : yw_db_col_int(s, 0);
    snprintf(record_hash, YW_AUDIT_HEX, "%s", yw_db_col_text(s, 1));
    yw_db_reset(s);
    int64_t sealed = 0;
    if ((rc = sealed_size(c, &sealed)))
        return rc;
    if (unsealed || tree_size < 1 || tree_size > sealed || *leaf_index >= tree_size)
        return YW_ESTATE;
    return path(c, *leaf_index, 0, tree_size, out, npath);
}

int
yw_audit_consistency(struct yw_dbc *c, int64_t first, int64_t second,
                     unsigned char (*proof)[YW_SM3_LEN], int *nproof)
{
    *nproof = 0;
    int64_t sealed = 0;
    int rc = sealed_size(c, &sealed);
    if (rc)
        return rc;
    if (first < 1 || first > second || second > sealed)
        return YW_EINVAL;
    return subproof(c, first, 0, second, true, proof, nproof);
}

/* ---- the auditor's checks ---- */

int
yw_audit_check_inclusion(int64_t leaf_index, int64_t tree_size,
                         const unsigned char leaf[YW_SM3_LEN],
                         const unsigned char (*p)[YW_SM3_LEN], int npath,
                         const unsigned char root[YW_SM3_LEN])
{
    if (leaf_index < 0 || leaf_index >= tree_size)
        return YW_ECRYPTO;
    int64_t fn = leaf_index, sn = tree_size - 1;
    unsigned char r[YW_SM3_LEN];
    memcpy(r, leaf, YW_SM3_LEN);
    for (int i = 0; i < npath; i++) {
        if (sn == 0)
            return YW_ECRYPTO;
        if ((fn & 1) || fn == sn) {
            yw_audit_node_hash(p[i], r, r);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            yw_audit_node_hash(r, p[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && memcmp(r, root, YW_SM3_LEN) == 0 ? 0 : YW_ECRYPTO;
}

int
yw_audit_check_consistency(int64_t first, int64_t second,
                           const unsigned char first_root[YW_SM3_LEN],
                           const unsigned char second_root[YW_SM3_LEN],
                           const unsigned char (*p)[YW_SM3_LEN], int nproof)
{
    if (first < 1 || first > second)
        return YW_ECRYPTO;
    if (first != second && nproof == 0)
        return YW_ECRYPTO;
    if (first == second)
        return nproof == 0 && memcmp(first_root, second_root, YW_SM3_LEN) == 0 ? 0 : YW_ECRYPTO;
    /* RFC 9162 2.1.4.2: when first is a power of two, first_root starts the path */
    const unsigned char *list[YW_AUDIT_MAX_PROOF + 1];
    int n = 0;
    if (is_pow2(first))
        list[n++] = first_root;
    if (nproof > YW_AUDIT_MAX_PROOF)
        return YW_ECRYPTO;
    for (int i = 0; i < nproof; i++)
        list[n++] = p[i];
    if (n == 0)
        return YW_ECRYPTO;
    int64_t fn = first - 1, sn = second - 1;
    while (fn & 1) {
        fn >>= 1;
        sn >>= 1;
    }
    unsigned char fr[YW_SM3_LEN], sr[YW_SM3_LEN];
    memcpy(fr, list[0], YW_SM3_LEN);
    memcpy(sr, list[0], YW_SM3_LEN);
    for (int i = 1; i < n; i++) {
        if (sn == 0)
            return YW_ECRYPTO;
        if ((fn & 1) || fn == sn) {
            yw_audit_node_hash(list[i], fr, fr);
            yw_audit_node_hash(list[i], sr, sr);
            if (!(fn & 1))
                while (fn != 0 && !(fn & 1)) {
                    fn >>= 1;
                    sn >>= 1;
                }
        } else {
            yw_audit_node_hash(sr, list[i], sr);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && memcmp(fr, first_root, YW_SM3_LEN) == 0 &&
                   memcmp(sr, second_root, YW_SM3_LEN) == 0
               ? 0
               : YW_ECRYPTO;
}
