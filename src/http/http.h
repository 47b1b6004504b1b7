/*
 * http.h - what a domain module sees of HTTP: the request, the response, route
 * tables and the authenticator hook.
 *
 * A module declares its routes as data (struct yw_route).  The router
 * (http/router.c) enforces everything a row says before the handler runs:
 * authentication, roles, CSRF for cookie sessions, the body limit, JSON parsing
 * and the body's field types; for YW_R_WRITE routes it runs the handler inside
 * one database transaction (with retry) so the handler's changes, their audit
 * records and their events commit together or not at all.
 *
 * Handlers return 0 after setting a response (yw_resp_*), or a negative YW_E...
 * code with req->err filled; the router turns that into the one JSON error body.
 * Handlers never write SQL (they call their module's logic) and never free
 * request memory: everything comes from req->arena.
 */
#ifndef YW_HTTP_HTTP_H
#define YW_HTTP_HTTP_H

#include "core/cli.h"
#include "core/config.h"
#include "core/err.h"
#include "core/mem.h"
#include "core/roles.h"
#include "db/db.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct yw_app {
    struct yw_config *cfg;
    struct yw_db *db;
    int64_t started_ms; /* real time the server started */
    const char *version;
    const struct yw_module *const *modules; /* every module, in start-up order (set by main) */
    size_t nmodules;
};

/* Who is calling (filled by the authenticator). */
struct yw_principal {
    int64_t account_id;
    const char *login; /* ID number, credit code or username */
    const char *name;
    const char *kind;    /* "person", "enterprise", "staff" */
    const char *dept;    /* staff department code, "" otherwise */
    uint32_t roles;      /* YW_ROLE_* bits */
    const char *csrf;    /* the session's CSRF token */
    const char *session; /* hash of the session token */
    bool via_cookie;     /* browser session: writes need the CSRF header */
    const char *scopes;  /* a department system (kind "system"): its access token's scopes,
                          * space-separated; NULL for a person's session */
};

#define YW_MAX_PARAMS 6

/* The file of an upload route (YW_R_RAW): the multipart/form-data part named
 * "file", which the server streamed into an unlinked temporary file and an
 * incremental SHA-256 while the body arrived (http/multipart.c), so no
 * upload is ever held in memory whole.  rc is 0, or why the body has no usable
 * file (YW_EMEDIA: not multipart/form-data; YW_EINVAL: malformed; YW_EMISSING:
 * no part "file"; YW_EIO: the temporary file could not be written) with err:
 * the handler reports it (yw_req_upload), so authentication and roles are
 * still checked first.  The upload limit applies to the file's bytes; a
 * bigger file never reaches the handler (413). */
struct yw_upload {
    int rc;
    struct yw_err err;
    int fd; /* the file's bytes from offset 0; read it (pread, mmap), never close it:
                           * the request's arena closes it */
    uint64_t size;
    char sha256[65];    /* lower-case hex */
    char filename[256]; /* as the client named it ("" when none): never trusted */
};

struct yw_resp_header {
    struct yw_resp_header *next;
    const char *name, *value;
};

struct yw_req {
    struct yw_arena arena;
    struct yw_app *app;
    const char *method;
    const char *path;
    const char *request_id;
    const char *client_ip;
    void *conn; /* struct MHD_Connection * */
    const struct yw_route *route;
    int nparams;
    const char *param_names[YW_MAX_PARAMS];
    const char *param_values[YW_MAX_PARAMS];
    json_t *body;         /* parsed JSON body (object) or NULL */
    const char *raw_body; /* YW_R_FORM routes: the body's bytes, NUL-terminated */
    size_t raw_len;
    const struct yw_upload *upload; /* the streamed file (YW_R_RAW routes) */
    struct yw_principal *who;       /* NULL when not logged in */
    struct yw_dbc *db;              /* this thread's connection; in a transaction on WRITE routes */
    struct yw_err err;
    /* response, built as data and sent after the transaction commits */
    int status;
    const char *content_type;
    const char *resp_body;
    size_t resp_len;
    char *resp_mem;    /* resp_body when it is malloc'd (freed by the server) */
    json_t *resp_json; /* yw_resp_json's body, not yet serialized (yw_resp_bytes) */
    int resp_fd;       /* a file to send instead of resp_body, or -1 */
    void *resp_stream; /* a listener of a stream (yw_resp_stream), or NULL */
    uint64_t resp_fd_len;
    struct yw_resp_header *headers;
    /* Optional: build the response after the transaction committed, on the
     * HTTP worker with its own connection (req->db), so a write holds the
     * write lock - or the batcher - only for the writing.  Set by a WRITE or
     * BATCH handler that returned 0; after_id carries what it needs. */
    int (*after_commit)(struct yw_req *req);
    int64_t after_id;
    /* YW_R_PREP routes: the write the handler handed to the group commit
     * (yw_req_batch), run on the batcher's thread in its own savepoint */
    int (*batch_fn)(struct yw_dbc *c, void *ctx);
    void *batch_ctx;
    /* the router's own state */
    void *priv;
};

typedef int (*yw_handler_fn)(struct yw_req *req);

/* Route flags. */
enum {
    YW_R_PUBLIC = 1u << 0, /* no login needed */
    YW_R_WRITE = 1u << 1,  /* runs in a write transaction */
    YW_R_RAW = 1u << 2,    /* body is not JSON: a multipart/form-data upload whose part "file"
                              * is streamed to a temporary file (req->upload) */
    YW_R_LAX = 1u << 3,    /* unknown body fields are allowed */
    YW_R_TEST = 1u << 4,   /* exists only with test_api on */
    YW_R_OPTIONAL_AUTH = 1u << 5, /* public, but the caller is identified when logged in */
    YW_R_NODB = 1u << 6,          /* needs no database connection (health checks) */
    YW_R_BATCH = 1u << 7,      /* a write that joins the group commit (db/batch.h): many requests'
                              * transactions share one durable COMMIT; the handler runs on the
                              * batcher's thread inside its own savepoint */
    YW_R_SLOW = 1u << 8,       /* CPU-heavy on purpose (password hashing): the handler runs on the
                              * slow pool, not on an HTTP worker */
    YW_R_FORM = 1u << 9,       /* the body is not JSON and not checked: its bytes are handed to the
                              * handler as they came (req->raw_body), for OAuth's
                              * application/x-www-form-urlencoded endpoints, whose errors
                              * have their own JSON shape (RFC 6749 5.2) */
    YW_R_FORM_JSON = 1u << 10, /* the body may also be application/x-www-form-urlencoded (Open311
                              * clients post forms): decoded into a JSON object of strings,
                              * the last of a repeated name winning, then validated as JSON */
    YW_R_STALE = 1u << 11,     /* a read that may be a little stale (catalog history, statistics,
                              * public pages, dashboards, open data): with db_read set, its
                              * handler reads from the replica when that is up, within
                              * db_read_max_lag, and holds the caller's own last write
                              * (http/stale.c).  Only for handlers that never write. */
    YW_R_PREP = 1u << 12,      /* with YW_R_BATCH: the handler runs on the HTTP worker (req->db this
                              * thread's connection, no transaction) and does its reading and
                              * its CPU work there; it answers at once, or hands only its writes
                              * to the group commit with yw_req_batch (the batcher's one thread
                              * is then busy with the writes alone) */
};

/* Body field types for validation. */
enum yw_ftype {
    YW_F_STRING = 1,
    YW_F_INT,
    YW_F_NUMBER,
    YW_F_BOOL,
    YW_F_OBJECT,
    YW_F_ARRAY,
    YW_F_ANY
};

struct yw_field {
    const char *name;
    enum yw_ftype type;
    bool required;
    size_t max_len; /* strings: max characters (0 = 1000); arrays: max items (0 = 1000) */
};

struct yw_route {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* "/api/v1/items/{code}" */
    yw_handler_fn fn;
    uint32_t roles;              /* allowed roles; 0 = any logged-in account */
    uint32_t flags;              /* YW_R_* */
    const struct yw_field *body; /* expected body fields, terminated by { NULL } */
    const char *summary;         /* one line, for the route listing */
    unsigned
        rate_per_min; /* per client address (one bucket for all nodes on PostgreSQL); 0 = unlimited (http/ratelimit.h) */
    /* Optional, YW_R_BATCH routes: run on the HTTP worker after the checks
     * (login, role, body) and before the handler joins the batch, outside
     * any transaction, with the worker's connection.  It may prepare what
     * the handler will likely need (cases: the e-license an approval would
     * issue, signed here rather than on the batcher) and must change
     * nothing the handler depends on; its return value and req->err are
     * ignored. */
    yw_handler_fn ahead;
};

/* A module: name, start-up/shutdown hooks, its route table, its commands and
 * its settings (src/modules.c lists them in order). */
struct yw_module {
    const char *name;
    int (*init)(struct yw_app *app, struct yw_err *err);
    void (*shutdown)(void);
    const struct yw_route *routes;
    size_t nroutes;
    const struct yw_command
        *commands; /* `ywtb` commands (core/cli.h), ending with { NULL }; or NULL */
    const struct yw_settings *settings; /* its settings (core/config.h), read back with
                                         * yw_config_values(app->cfg, settings); or NULL */
    /* Its demo or load-test data, for `ywtb seed` (seed/commands.c calls every
     * module's hook in module order, after the catalog and the demo accounts):
     * what is "demo" (idempotent: a second run adds nothing), "small" or
     * "xuhui" (--scale; after the generated accounts and cases).  Prints what
     * it did to out.  0, or an error with err filled.  NULL: nothing to seed. */
    int (*seed)(struct yw_app *app, const char *what, FILE *out, struct yw_err *err);
    /* Does the database hold keys this module sealed under the deployment's
     * secret key (core/secret.h)?  Sets *what to a name for messages ("audit
     * log", "licenses" ...) when it does, leaves it NULL when not; 0 or a
     * read's error.  NULL: the module seals nothing.  yw_app_secret asks every
     * module, so that none makes a new key file while another's keys need the
     * old one. */
    int (*sealed_keys)(struct yw_dbc *c, const char **what);
};

/* The authenticator identity registers: fill *who from the request's cookie or
 * bearer token.  Return 0 when a valid session was found, YW_EAUTH when there is
 * none or it expired, another code on failure.  Runs on every non-public request. */
/* The deployment's secret key (core/secret.h yw_secret_load) for module
 * `module`: a missing key file is made only when no module's sealed_keys hook
 * says the database holds keys sealed under a secret (app->db NULL: none is
 * asked).  `own`: the name of the caller's own sealed keys when it
 * knows it has some (counted whatever the module list holds), else NULL.  0 or YW_ECONFIG / a read's error, with err filled. */
int yw_app_secret(struct yw_app *app, const char *module, const char *own,
                  unsigned char out[32], struct yw_err *err);

typedef int (*yw_authn_fn)(struct yw_req *req, struct yw_principal *who);
void yw_http_set_authenticator(yw_authn_fn fn);

/* ---- request accessors ---- */
const char *yw_req_param(struct yw_req *req, const char *name); /* path {param} */
const char *yw_req_query(struct yw_req *req, const char *name); /* ?name= (validated UTF-8) */
const char *yw_req_header(struct yw_req *req, const char *name);
const char *yw_req_cookie(struct yw_req *req, const char *name);
/* An integer query parameter: dflt when absent or empty, YW_EFIELD (named)
 * when it is not an integer in [lo, hi]. */
int yw_req_query_int(struct yw_req *req, const char *name, int64_t dflt, int64_t lo, int64_t hi,
                     int64_t *out);
/* The public base URL for links printed on documents (QR codes): the
 * public_url setting, else http(s)://<Host> of this request (https when
 * trust_proxy and X-Forwarded-Proto say so); in the arena. */
const char *yw_req_base_url(struct yw_req *req);

/* Decode one application/x-www-form-urlencoded component ('+' is a space,
 * %XX a byte) into the arena: NULL when an escape is malformed or the result
 * is not UTF-8 or holds a NUL.  The router uses it for YW_R_FORM_JSON bodies;
 * YW_R_FORM handlers (OAuth) decode their own raw body with it. */
char *yw_http_form_decode(struct yw_arena *a, const char *p, size_t n);

/* YW_R_PREP routes: after the handler returns 0, run fn(c, ctx) in the
 * group commit (its own savepoint in the batcher's transaction; fn follows
 * yw_db_job's contract: re-runnable, changes state only through c), then -
 * once it committed - req->after_commit on the worker, which sets the
 * response.  ctx must live as long as the request (the arena).  A handler
 * that does not call it answers at once, as any read route. */
void yw_req_batch(struct yw_req *req, int (*fn)(struct yw_dbc *c, void *ctx), void *ctx);

/* ---- responses ---- */
/* JSON body from a jansson value (reference stolen). */
int yw_resp_json(struct yw_req *req, int status, json_t *body);
/* The body yw_resp_json set, serialized into resp_body / resp_len now (a
 * no-op for any other response).  yw_resp_json only keeps the document: the
 * server serializes it on the HTTP thread that sends it, so a YW_R_BATCH
 * handler's answer is not written out on the group commit's one thread.  A
 * handler that reads its own answer's bytes (a response cache) calls this
 * first.  0, or YW_EINTERNAL when the document cannot be serialized. */
int yw_resp_bytes(struct yw_req *req);
/* Bytes that outlive the request (static or cached): not copied. */
int yw_resp_static(struct yw_req *req, int status, const char *content_type, const char *body,
                   size_t len);
/* Bytes malloc'd by the caller: freed by the server after sending. */
int yw_resp_take(struct yw_req *req, int status, const char *content_type, char *body, size_t len);
/* An extra header (name and value copied into the arena). */
void yw_resp_header(struct yw_req *req, const char *name, const char *value);

/* ---- streams: responses that stay open (http/stream.c) ----
 * A channel many connections listen to, for server-sent events: the handler
 * answers with yw_resp_stream, and every yw_stream_publish after that is
 * written to every listener (within the worker's next turn), without a
 * thread per listener (the connection is suspended while there is nothing
 * to send).  The channel keeps its last 64 messages; a listener too slow
 * for them skips to the oldest kept, so publish whole states.  When nothing
 * was published for heartbeat_ms (0: never) the heartbeat text is (an SSE
 * comment ": \n\n" keeps proxies open and finds closed listeners).  The
 * server ends every stream when it stops.  A stream is not freed while a
 * listener holds it. */
struct yw_stream;
struct yw_stream *yw_stream_new(int64_t heartbeat_ms, const char *heartbeat);
void yw_stream_free(struct yw_stream *s);
/* Send data (copied) to every listener; callable from any thread. */
void yw_stream_publish(struct yw_stream *s, const char *data, size_t len);
size_t yw_stream_listeners(struct yw_stream *s);
/* The number of the last message published (0: none yet). */
uint64_t yw_stream_seq(struct yw_stream *s);
/* Answer with a stream: 200, content_type, first (copied: the current state)
 * and then every message published after message number after (take it with
 * yw_stream_seq before reading the state first shows, so nothing published
 * in between is missed). */
int yw_resp_stream(struct yw_req *req, struct yw_stream *s, const char *content_type,
                   const char *first, size_t first_len, uint64_t after);

/* The upload of a YW_R_RAW route: its file, or NULL with req->err filled
 * and *rc set to why there is none. */
const struct yw_upload *yw_req_upload(struct yw_req *req, int *rc);

/* ---- body helpers (after validation the types are known) ---- */
const char *yw_body_str(struct yw_req *req, const char *name); /* NULL when absent/null */
bool yw_body_has(struct yw_req *req, const char *name);

#endif
