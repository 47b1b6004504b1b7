/*
 * check.c - does an upload hold what its first bytes claim?  (files.h:
 * yw_files_check)
 *
 * yw_files_sniff names a type from the magic bytes alone, and an ELF or an
 * HTML page behind `%PDF-`, or a ZIP bomb with an entry named OFD.xml, would
 * be stored as a PDF or an OFD and handed to reviewers as one.  So every
 * upload's structure is checked before it is stored, each in a child process
 * under limits (sandbox.c): a PDF must parse with `qpdf --check` (qpdf, the
 * Debian package of that name, found on PATH at start-up); PNG, JPEG and OFD
 * are checked by libpng, libjpeg-turbo and libzip in a forked child
 * (decode.c).  A file that fails is YW_EFILE (422 invalid_file) naming what
 * failed; a check that could not run at all is a server error.
 */
#include "files/internal.h"

#include "core/err.h"
#include "core/log.h"

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* qpdf on this machine (yw_files__check_init). */
static char qpdf_path[PATH_MAX];

/* qpdf --check: a 20 MiB PDF takes well under a second and 100 MB. */
static const struct yw_files_limits pdf_limits = { .cpu_s = 10,
                                                   .mem = 1024u << 20,
                                                   .wall_ms = 30000 };
/* The library checks, on top of the server's own mapping: JPEG's working
 * memory and a row, libzip's buffers. */
static const struct yw_files_limits lib_limits = { .cpu_s = 10,
                                                   .mem = 512u << 20,
                                                   .wall_ms = 30000 };

int
yw_files__check_init(struct yw_err *err)
{
    const char *path = getenv("PATH");
    if (path == NULL || *path == '\0')
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path; *p;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        char cand[PATH_MAX];
        if (len > 0 && len + sizeof "/qpdf" <= sizeof cand && p[0] == '/') {
            snprintf(cand, sizeof cand, "%.*s/qpdf", (int)len, p);
            if (access(cand, X_OK) == 0) {
                snprintf(qpdf_path, sizeof qpdf_path, "%s", cand);
                return 0;
            }
        }
        p += len;
        if (*p == ':')
            p++;
    }
    return yw_fail(err, YW_ECONFIG, "",
                   "qpdf not found on PATH (%.100s): uploaded PDFs are checked with "
                   "'qpdf --check'; install the Debian package qpdf (scripts/deps.sh)",
                   path);
}

/* The last line of a program's output, for the log. */
static const char *
last_line(char *out)
{
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    char *nl = strrchr(out, '\n');
    return nl ? nl + 1 : out;
}

/* A run that ended without its verdict: the limits, a crash, or the server
 * stopping (systemd signals the whole control group). */
static int
ended_badly(const char *kind, const struct yw_files_run *run, const struct yw_files_limits *lim,
            struct yw_err *err)
{
    if (run->end == YW_FILES_SIGNALED && (run->sig == SIGTERM || run->sig == SIGINT))
        return yw_fail(err, YW_EIO, "",
                       "the check of the %s was interrupted: the server is stopping", kind);
    if (run->end == YW_FILES_TIMEOUT)
        return yw_fail(err, YW_EFILE, "file", "the %s could not be checked within %u s", kind,
                       lim->wall_ms / 1000);
    if (run->end == YW_FILES_SIGNALED && (run->sig == SIGXCPU || run->sig == SIGKILL))
        return yw_fail(err, YW_EFILE, "file", "the %s takes more than %u s of CPU time to check",
                       kind, lim->cpu_s);
    if (run->end == YW_FILES_SIGNALED) {
        /* a decoder that crashes on a file: the file is hostile or broken */
        yw_log_warn("files", "the check of a %s upload died of signal %d", kind, run->sig);
        return yw_fail(err, YW_EFILE, "file",
                       "the %s could not be decoded (the check failed on it)", kind);
    }
    yw_log_error("files", "the check of a %s upload could not run (exit %d): %s", kind,
                 run->exit_code, run->out);
    return yw_fail(err, YW_EIO, "", "the %s could not be checked", kind);
}

static int
check_pdf(int fd, struct yw_err *err)
{
    if (qpdf_path[0] == '\0')
        return yw_fail(err, YW_ECONFIG, "",
                       "the PDF could not be checked: qpdf was not found at start-up");
    char *argv[] = { "qpdf", "--check", "/proc/self/fd/0", NULL };
    struct yw_files_run run;
    if (yw_files__exec(qpdf_path, argv, fd, &pdf_limits, &run))
        return yw_fail(err, YW_EIO, "", "cannot start qpdf to check the PDF");
    if (run.end == YW_FILES_EXITED && (run.exit_code == 0 || run.exit_code == 3))
        return 0; /* 3: warnings only - damage qpdf repaired, as scanners' files often have */
    if (run.end == YW_FILES_EXITED && run.exit_code == 2) {
        const char *why = last_line(run.out);
        yw_log_info("files", "refused a PDF upload: %s", why);
        if (strstr(run.out, "invalid password"))
            return yw_fail(err, YW_EFILE, "file",
                           "the PDF is protected by a password: upload it without one");
        return yw_fail(err, YW_EFILE, "file",
                       "the PDF does not parse (qpdf --check): it is damaged or not a PDF");
    }
    if (run.end == YW_FILES_EXITED) {
        /* 126/127: it could not be started; anything else is not qpdf's answer */
        yw_log_error("files", "qpdf could not check a PDF upload (exit %d): %s", run.exit_code,
                     last_line(run.out));
        return yw_fail(err, YW_EIO, "", "the PDF could not be checked: qpdf failed to run");
    }
    return ended_badly("PDF", &run, &pdf_limits, err);
}

int
yw_files_check(const char *mime, const void *data, size_t len, int fd, struct yw_err *err)
{
    if (!strcmp(mime, "application/pdf"))
        return check_pdf(fd, err);
    yw_files_check_fn fn;
    const char *kind;
    if (!strcmp(mime, "image/png")) {
        fn = yw_files__check_png;
        kind = "PNG";
    } else if (!strcmp(mime, "image/jpeg")) {
        fn = yw_files__check_jpeg;
        kind = "JPEG";
    } else if (!strcmp(mime, "application/ofd")) {
        fn = yw_files__check_ofd;
        kind = "OFD package";
    } else {
        return yw_fail(err, YW_EMEDIA, "file", "'%s' files are not accepted", mime);
    }
    struct yw_files_blob blob = { .data = data, .len = len };
    struct yw_files_run run;
    if (yw_files__fork_check(fn, &blob, &lib_limits, &run))
        return yw_fail(err, YW_EIO, "", "cannot start the check of the %s", kind);
    if (run.end == YW_FILES_EXITED && run.exit_code == 0)
        return 0;
    if (run.end == YW_FILES_EXITED && run.exit_code == 1) {
        yw_log_info("files", "refused a %s upload: %s", kind, run.out);
        return yw_fail(err, YW_EFILE, "file", "%s",
                       run.out[0] ? run.out : "the file does not decode");
    }
    return ended_badly(kind, &run, &lib_limits, err);
}
