/*
 * stale.c - routes whose reads may be a little stale (YW_R_STALE) run on the
 * read replica when there is one (db_read; db/db.h "read replica").
 *
 * The router has already authenticated the caller on the primary (sessions
 * are never read from a replica: a logout must take effect at once).  Only
 * the handler's own reads move: req->db becomes this thread's replica
 * connection when yw_db_read_conn says the replica is fit for this caller.
 * A handler that fails there with a database error is run again on the
 * primary - the replica going away between two looks of its monitor costs a
 * retry, never an error answer.
 *
 * Read-your-writes: every write request (any method but GET, HEAD, OPTIONS)
 * marks its caller as having written (yw_db_read_wrote), keyed by a hash of
 * the credential it came with - the bearer token or the session cookie - so
 * the caller's next stale-tolerant reads on this node stay on the primary
 * until the replica has that write.  The key needs no database lookup, so
 * public routes, which do not authenticate, still know who is asking.
 */
#include "http/internal.h"

#include <string.h>

uint64_t
yw_http__caller_key(struct yw_req *req)
{
    const char *cred = yw_req_header(req, "Authorization");
    if (cred == NULL || *cred == '\0')
        cred = yw_req_cookie(req, "ywtb_session");
    if (cred == NULL || *cred == '\0')
        return 0;
    uint64_t h = 1469598103934665603ULL; /* FNV-1a: a slot key, not a secret */
    for (const char *p = cred; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h ? h : 1;
}

int
yw_http__run_stale(struct yw_req *req)
{
    struct yw_db *db = req->app->db;
    struct yw_dbc *primary = req->db;
    struct yw_dbc *rc_conn = yw_db_read_conn(db, yw_http__caller_key(req));
    if (rc_conn == NULL)
        return req->route->fn(req);
    req->db = rc_conn;
    int rc = req->route->fn(req);
    if (rc == YW_EDB || rc == YW_ERETRY || rc == YW_EUNAVAIL) {
        yw_db_read_failed(db, req->err.msg[0] ? req->err.msg : yw_dbc_errmsg(rc_conn));
        yw_http__resp_clear(req);
        req->headers = NULL;
        req->err = (struct yw_err){ 0 };
        req->db = primary;
        rc = req->route->fn(req);
    }
    req->db = primary;
    return rc;
}
