/*
 * files.c - upload and download of application materials (see files.h).
 *
 *   POST /api/v1/files            multipart field `file` -> {file_id, sha256, size, mime, filename}
 *   GET  /api/v1/files/{id}       metadata
 *   GET  /api/v1/files/{id}/content  the bytes
 *
 * An upload is its uploader's; anyone else sees it only when a file access
 * provider (core/provider.h) lets them - cases does for the materials of the
 * cases they may see - and gets 404 otherwise.  Every staff read is audited
 * in the transaction that reads it.
 *
 * The server streams an upload's file into a temporary file and its SHA-256
 * while it arrives (http/multipart.c); the upload route maps that file to
 * sniff its type, has its structure checked in a child process (check.c:
 * 422 invalid_file when it only starts like a PDF, image or OFD) and inserts
 * it as the blob, so the bytes are read from the page cache and never copied
 * into a buffer of the request.
 */
#include "files/files.h"
#include "files/internal.h"

#include "core/crypto.h"
#include "core/provider.h"
#include "core/roles.h"
#include "core/utf8.h"
#include "db/audit.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

const char *
yw_files_sniff(const char *d, size_t n)
{
    const unsigned char *u = (const unsigned char *)d;
    if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
        return "application/pdf";
    if (n >= 3 && u[0] == 0xFF && u[1] == 0xD8 && u[2] == 0xFF)
        return "image/jpeg";
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    /* OFD (GB/T 33190) is a ZIP package whose root holds OFD.xml: look for
     * that entry name in a local file header or the central directory. */
    if (n >= 30 && memcmp(d, "PK\x03\x04", 4) == 0) {
        for (size_t i = 0; i + 46 <= n; i++) {
            if (memcmp(d + i, "PK\x03\x04", 4) == 0 && i + 30 <= n) {
                size_t name_len = (size_t)u[i + 26] | (size_t)u[i + 27] << 8;
                if (name_len == 7 && i + 30 + 7 <= n && memcmp(d + i + 30, "OFD.xml", 7) == 0)
                    return "application/ofd";
            } else if (memcmp(d + i, "PK\x01\x02", 4) == 0) {
                size_t name_len = (size_t)u[i + 28] | (size_t)u[i + 29] << 8;
                if (name_len == 7 && i + 46 + 7 <= n && memcmp(d + i + 46, "OFD.xml", 7) == 0)
                    return "application/ofd";
            }
        }
    }
    return NULL;
}

/* A display name: the base name, valid UTF-8, no control characters or
 * slashes, at most 100 characters. */
static void
clean_name(const char *in, char *out, size_t n)
{
    const char *base = strrchr(in, '/');
    base = base ? base + 1 : in;
    const char *bs = strrchr(base, '\\');
    base = bs ? bs + 1 : base;
    if (!yw_utf8_valid(base, strlen(base)) || *base == '\0') {
        snprintf(out, n, "upload");
        return;
    }
    size_t k = 0, chars = 0;
    for (const unsigned char *p = (const unsigned char *)base; *p && k + 4 < n && chars < 100;
         p++) {
        if (*p < 0x20 || *p == '"' || *p == '<' || *p == '>')
            continue;
        out[k++] = (char)*p;
        if ((*p & 0xC0) != 0x80)
            chars++;
    }
    /* do not cut a multi-byte character in half */
    while (k > 0 && ((unsigned char)out[k - 1] & 0xC0) == 0x80) {
        size_t j = k - 1;
        while (j > 0 && ((unsigned char)out[j] & 0xC0) == 0x80)
            j--;
        size_t need = ((unsigned char)out[j] >= 0xF0) ? 4 : ((unsigned char)out[j] >= 0xE0) ? 3 : 2;
        if (k - j == need)
            break;
        k = j;
    }
    out[k] = '\0';
    if (k == 0)
        snprintf(out, n, "upload");
}

struct up_tx {
    const char *data; /* the file, mapped */
    size_t len;
    const char *mime;
    char sha[65];
    char id[48];
    char filename[256];
    int64_t owner;
    bool deduplicated;
};

static int
upload_tx(struct yw_dbc *c, void *vctx)
{
    struct up_tx *t = vctx;
    char now[32];
    yw_db_now_text(now);
    struct yw_stmt *s = yw_db_prepare(c, "SELECT 1 FROM file_blobs WHERE sha256 = ?");
    if (s == NULL)
        return YW_EDB;
    yw_db_bind_str(s, 1, t->sha);
    int rc = yw_db_step(s);
    t->deduplicated = rc == YW_ROW;
    yw_db_reset(s);
    if (rc != YW_ROW && rc != YW_DONE)
        return rc < 0 ? rc : YW_EDB;
    if (!t->deduplicated) {
        s = yw_db_prepare(
            c,
            "INSERT INTO file_blobs (sha256, size, mime, data, created_at) VALUES (?, ?, ?, ?, ?)");
        if (s == NULL)
            return YW_EDB;
        yw_db_bind_str(s, 1, t->sha);
        yw_db_bind_int(s, 2, (int64_t)t->len);
        yw_db_bind_str(s, 3, t->mime);
        yw_db_bind_blob(s, 4, t->data, t->len);
        yw_db_bind_str(s, 5, now);
        rc = yw_db_step(s);
        yw_db_reset(s);
        if (rc != YW_DONE && rc != YW_ECONFLICT) /* a concurrent upload of the same bytes is fine */
            return rc < 0 ? rc : YW_EDB;
    }
    yw_random_token(18, t->id, sizeof t->id);
    s = yw_db_prepare(
        c,
        "INSERT INTO uploads (id, sha256, account_id, filename, created_at) VALUES (?, ?, ?, ?, ?)");
    if (s == NULL)
        return YW_EDB;
    yw_db_bind_str(s, 1, t->id);
    yw_db_bind_str(s, 2, t->sha);
    yw_db_bind_int(s, 3, t->owner);
    yw_db_bind_str(s, 4, t->filename);
    yw_db_bind_str(s, 5, now);
    rc = yw_db_step(s);
    yw_db_reset(s);
    if (rc != YW_DONE)
        return rc < 0 ? rc : YW_EDB;
    char actor[24], summary[160];
    snprintf(actor, sizeof actor, "%lld", (long long)t->owner);
    snprintf(summary, sizeof summary, "{\"sha256\":\"%s\",\"size\":%zu,\"mime\":\"%s\"}", t->sha,
             t->len, t->mime);
    return yw_audit_add(c, &(struct yw_audit_entry){ .actor = actor,
                                                     .action = "file.upload",
                                                     .obj_type = "file",
                                                     .obj_id = t->id,
                                                     .summary = summary });
}

static int
h_upload(struct yw_req *req)
{
    int rc;
    const struct yw_upload *up = yw_req_upload(req, &rc);
    if (up == NULL)
        return rc;
    if (up->size == 0)
        return yw_fail(&req->err, YW_EFIELD, "file", "the file is empty");
    if (up->size > SIZE_MAX)
        return yw_fail(&req->err, YW_ETOOBIG, "file", "the file is too large");
    size_t len = (size_t)up->size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, up->fd, 0);
    if (map == MAP_FAILED)
        return yw_fail(&req->err, YW_EIO, "", "cannot read the stored upload");
    struct up_tx t = { .data = map, .len = len, .owner = req->who->account_id };
    t.mime = yw_files_sniff(t.data, len);
    if (t.mime == NULL) {
        rc = yw_fail(
            &req->err, YW_EMEDIA, "file",
            "only PDF, JPEG, PNG and OFD files are accepted (recognised by their content, not their name)");
        goto out;
    }
    /* the magic is only a claim: the structure must be that type's */
    if ((rc = yw_files_check(t.mime, t.data, len, up->fd, &req->err)))
        goto out;
    clean_name(up->filename, t.filename, sizeof t.filename);
    snprintf(t.sha, sizeof t.sha, "%s",
             up->sha256); /* SHA-256 names the content, as the API promises */
    rc = yw_db_tx(req->app->db, YW_TX_WRITE, upload_tx, &t, &req->err);
    if (rc == 0)
        rc = yw_resp_json(req, 201,
                          json_pack("{s:s, s:s, s:I, s:s, s:s, s:b}", "file_id", t.id, "sha256",
                                    t.sha, "size", (json_int_t)len, "mime", t.mime, "filename",
                                    t.filename, "deduplicated", t.deduplicated));
out:
    munmap(map, len);
    return rc;
}

int
yw_files_get(struct yw_dbc *c, const char *id, struct yw_file_info *out)
{
    memset(out, 0, sizeof *out);
    if (strlen(id) >= sizeof out->id)
        return YW_ENOTFOUND;
    struct yw_stmt *s = yw_db_prepare(
        c, "SELECT u.id, u.sha256, b.size, b.mime, u.filename, u.account_id FROM uploads u "
           "JOIN file_blobs b ON b.sha256 = u.sha256 WHERE u.id = ?");
    if (s == NULL)
        return YW_EDB;
    yw_db_bind_str(s, 1, id);
    int rc = yw_db_step(s);
    if (rc == YW_ROW) {
        snprintf(out->id, sizeof out->id, "%s", yw_db_col_text(s, 0));
        snprintf(out->sha256, sizeof out->sha256, "%s", yw_db_col_text(s, 1));
        out->size = yw_db_col_int(s, 2);
        snprintf(out->mime, sizeof out->mime, "%s", yw_db_col_text(s, 3));
        snprintf(out->filename, sizeof out->filename, "%s", yw_db_col_text(s, 4));
        out->owner = yw_db_col_int(s, 5);
        rc = 0;
    } else {
        rc = rc < 0 ? rc : YW_ENOTFOUND;
    }
    yw_db_reset(s);
    return rc;
}

/* A read of upload `id` by req->who: the metadata, and with `content` a copy
 * of the bytes. */
struct read_tx {
    const struct yw_principal *who;
    const char *id;
    bool content;
    struct yw_file_info fi;
    char *data; /* content: yw_xmalloc'd copy of the bytes, n of them */
    size_t n;
};

/* The reader's roles as names ("reviewer,chief_approver"), for the audit. */
static void
roles_text(uint32_t roles, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (unsigned bit = 0; bit < 32; bit++) {
        const char *name = (roles & (1u << bit)) ? yw_role_name(1u << bit) : NULL;
        if (name == NULL)
            continue;
        int w = snprintf(out + k, n - k, "%s%s", k ? "," : "", name);
        if (w < 0 || (size_t)w >= n - k)
            break;
        k += (size_t)w;
    }
}

/* Load the upload for its reader.  The uploader sees it; anyone else only
 * when a file access provider (core/provider.h) says they may - cases: it is
 * a material of a case they may see - and YW_ENOTFOUND otherwise, as for an
 * upload that does not exist, so ids do not leak.  A staff reader's read is
 * audited ("file.view", "file.view_content") on c, so with YW_TX_WRITE the
 * record commits with the read or neither happens.  Re-runnable (yw_db_tx). */
static int
read_file(struct yw_dbc *c, void *vctx)
{
    struct read_tx *t = vctx;
    free(t->data);
    t->data = NULL;
    t->n = 0;
    int rc = yw_files_get(c, t->id, &t->fi);
    if (rc)
        return rc;
    const char *via = "uploader";
    if (t->fi.owner != t->who->account_id && (rc = yw_provider_file_access(c, t->id, t->who, &via)))
        return rc;
    if (t->content) {
        struct yw_stmt *s = yw_db_prepare(c, "SELECT data FROM file_blobs WHERE sha256 = ?");
        if (s == NULL)
            return YW_EDB;
        yw_db_bind_str(s, 1, t->fi.sha256);
        rc = yw_db_step(s);
        if (rc != YW_ROW) {
            yw_db_reset(s);
            return rc < 0 ? rc : YW_ENOTFOUND;
        }
        const void *data = yw_db_col_blob(s, 0, &t->n);
        t->data = yw_xmalloc(t->n ? t->n : 1);
        if (t->n)
            memcpy(t->data, data, t->n);
        yw_db_reset(s);
    }
    if (!(t->who->roles & YW_ROLE_STAFF))
        return 0;
    char actor[24], role[160], summary[160];
    snprintf(actor, sizeof actor, "%lld", (long long)t->who->account_id);
    roles_text(t->who->roles & YW_ROLE_STAFF, role, sizeof role);
    snprintf(summary, sizeof summary, "{\"sha256\":\"%s\",\"via\":\"%s\"}", t->fi.sha256, via);
    return yw_audit_add(
        c, &(struct yw_audit_entry){ .actor = actor,
                                     .role = role,
                                     .action = t->content ? "file.view_content" : "file.view",
                                     .obj_type = "file",
                                     .obj_id = t->fi.id,
                                     .summary = summary });
}

/* Read the upload named in the path for the caller: staff in a write
 * transaction of its own (their read is audited), others as plain reads.
 * 404 for whoever may not see it. */
static int
load_visible(struct yw_req *req, struct read_tx *t)
{
    t->who = req->who;
    t->id = yw_req_param(req, "id");
    int rc = (req->who->roles & YW_ROLE_STAFF)
                 ? yw_db_tx(req->app->db, YW_TX_WRITE, read_file, t, &req->err)
                 : read_file(req->db, t);
    if (rc == 0)
        return 0;
    free(t->data);
    t->data = NULL;
    if (rc == YW_ENOTFOUND)
        return yw_fail(&req->err, rc, "", "no such file");
    if (req->err.msg[0] == '\0')
        yw_fail(&req->err, rc, "", "cannot read file '%.48s'", t->id);
    return rc;
}

static int
h_meta(struct yw_req *req)
{
    struct read_tx t = { .content = false };
    int rc = load_visible(req, &t);
    if (rc)
        return rc;
    return yw_resp_json(req, 200,
                        json_pack("{s:s, s:s, s:I, s:s, s:s}", "file_id", t.fi.id, "sha256",
                                  t.fi.sha256, "size", (json_int_t)t.fi.size, "mime", t.fi.mime,
                                  "filename", t.fi.filename));
}

static int
h_content(struct yw_req *req)
{
    struct read_tx t = { .content = true };
    int rc = load_visible(req, &t);
    if (rc)
        return rc;
    yw_resp_header(req, "Content-Disposition", "attachment");
    yw_resp_header(req, "Cache-Control", "private, no-store");
    const char *ctype = yw_arena_strdup(&req->arena, t.fi.mime);
    return yw_resp_take(req, 200, ctype, t.data, t.n);
}

static const struct yw_route routes[] = {
    /* SLOW: the structure checks wait for a child process, on the slow pool */
    { "POST", "/api/v1/files", h_upload, 0, YW_R_RAW | YW_R_SLOW, NULL,
      "upload a material (PDF, JPEG, PNG, OFD; 20 MiB)" },
    { "GET", "/api/v1/files/{id}", h_meta, 0, 0, NULL,
      "an upload's metadata (staff reads audited)" },
    { "GET", "/api/v1/files/{id}/content", h_content, 0, 0, NULL,
      "an upload's bytes (staff reads audited)" },
};

/* The programs the checks run must be there before the first upload. */
static int
files_init(struct yw_app *app, struct yw_err *err)
{
    (void)app;
    return yw_files__check_init(err);
}

const struct yw_module yw_files_module = {
    .name = "files",
    .init = files_init,
    .routes = routes,
    .nroutes = sizeof routes / sizeof routes[0],
};
