/*
 * files.h - uploaded application materials.
 *
 * An applicant (or a window clerk on their behalf) uploads a PDF, JPEG, PNG or
 * OFD of at most upload_limit bytes (20 MiB).  The server streams it into a
 * temporary file and its SHA-256 (req->upload, http.h); it is never in memory
 * whole.  The type is recognised by the content, never by the name or the
 * claimed Content-Type: an executable named "x.pdf" is refused (415), and a
 * file that only starts like a PDF, image or OFD is refused too (422,
 * yw_files_check).  Contents are
 * stored once per SHA-256 in the database (so every node sees them); each
 * upload is its own row with a random id owned by the uploader.  Cases refer
 * to uploads by id (files_check).
 *
 * Tables files owns: file_blobs, uploads.
 */
#ifndef YW_FILES_FILES_H
#define YW_FILES_FILES_H

#include "db/db.h"
#include "http/http.h"

#include <stddef.h>

extern const struct yw_module yw_files_module;

/* The MIME type recognised from the first bytes ("application/pdf",
 * "image/jpeg", "image/png", "application/ofd"), or NULL when it is none of
 * them.  Only a claim: yw_files_check decides whether the file is one. */
const char *yw_files_sniff(const char *data, size_t len);

/* Check that a file's structure is that of the type `mime` its first bytes
 * claim (yw_files_sniff), each check in a child process with CPU-time,
 * memory and wall-clock limits: a PDF must parse (qpdf --check), a PNG or
 * JPEG must decode with at most 30000 pixels a side and 100 megapixels, an
 * OFD must be a ZIP package within limits (entries, total size, compression
 * ratio) with OFD.xml at its root.  data/len: the file mapped; fd: a
 * descriptor of the same file (qpdf reads it).  Returns 0 when it passes;
 * YW_EFILE (422 invalid_file, field "file") with err saying what failed;
 * YW_EIO or YW_ECONFIG when the check could not run (a server error). */
int yw_files_check(const char *mime, const void *data, size_t len, int fd, struct yw_err *err);

struct yw_file_info {
    char id[48];
    char sha256[65];
    int64_t size;
    char mime[32];
    char filename[256];
    int64_t owner;
};

/* Look up upload `id` on c; YW_ENOTFOUND when absent. */
int yw_files_get(struct yw_dbc *c, const char *id, struct yw_file_info *out);

#endif
