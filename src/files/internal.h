/*
 * internal.h - shared inside src/files only: the structure checks of an
 * upload (check.c, decode.c) and the child processes they run in
 * (sandbox.c).
 */
#ifndef YW_FILES_INTERNAL_H
#define YW_FILES_INTERNAL_H

#include "files/files.h"

#include <stddef.h>
#include <stdint.h>

/* ---- sandbox.c: a check in a child process, under limits ---- */

struct yw_files_limits {
    unsigned cpu_s;   /* CPU seconds (RLIMIT_CPU: SIGXCPU, then SIGKILL a second later) */
    uint64_t mem;     /* address space (RLIMIT_AS): for a program, its whole; for a forked
                       * child, on top of what the server's process had mapped */
    unsigned wall_ms; /* wall-clock time before the parent kills it (SIGKILL) */
};

enum yw_files_end {
    YW_FILES_EXITED,   /* exit_code says how */
    YW_FILES_TIMEOUT,  /* killed at wall_ms */
    YW_FILES_SIGNALED, /* died of signal `sig` (SIGXCPU/SIGKILL: the CPU limit) */
};

/* How a child ended, and what it said. */
struct yw_files_run {
    enum yw_files_end end;
    int exit_code;
    int sig;
    char out[512]; /* a forked function's message; a program's last output */
};

/* A check run in a forked child: 0 when the content passes, else nonzero
 * with what failed in msg (n bytes, NUL-terminated).  It runs in a copy of
 * the server's process after fork(): it may use malloc and the decoding
 * libraries, which keep no locks, and nothing else of the server (no log, no
 * database, no yw_xmalloc). */
typedef int (*yw_files_check_fn)(void *arg, char *msg, size_t n);

/* Run fn(arg) in a forked child under `lim`, with every other descriptor
 * closed, the signal mask cleared and a lower priority; *run tells how it
 * ended (exit code 0: passed, 1: refused with run->out, anything else: the
 * check itself failed).  Returns 0 when the child ran, or YW_EIO when it
 * could not be started. */
int yw_files__fork_check(yw_files_check_fn fn, void *arg, const struct yw_files_limits *lim,
                         struct yw_files_run *run);

/* Run the program `path` (absolute) with argv, standard input in_fd, an
 * environment of PATH and LC_ALL=C only, its standard output and error kept
 * in run->out (the last bytes), under `lim`.  Returns 0 when it ran (its end
 * in *run), or YW_EIO when it could not be started. */
int yw_files__exec(const char *path, char *const argv[], int in_fd,
                   const struct yw_files_limits *lim, struct yw_files_run *run);

/* ---- decode.c: the checks that run in a forked child ---- */

/* The file as the checks see it: its mapping (inherited by the child). */
struct yw_files_blob {
    const unsigned char *data;
    size_t len;
};

/* Limits of what an upload may hold (docs/ARCHITECTURE.md, Files). */
#define YW_FILES_MAX_SIDE       30000u       /* pixels on either side of an image */
#define YW_FILES_MAX_PIXELS     100000000u   /* 100 megapixels */
#define YW_FILES_JPEG_MEM       (192u << 20) /* libjpeg's working memory (progressive JPEGs) */
#define YW_FILES_ZIP_ENTRIES    10000u       /* entries of an OFD package */
#define YW_FILES_ZIP_TOTAL      (200u << 20) /* bytes of all entries, uncompressed */
#define YW_FILES_ZIP_RATIO      100u         /* uncompressed / compressed, per entry ... */
#define YW_FILES_ZIP_RATIO_FROM (1u << 20)   /* ... of at least this many bytes uncompressed */
#define YW_FILES_OFD_XML_MAX    (1u << 20)   /* bytes of OFD.xml */

/* yw_files_check_fn for an image/png, image/jpeg and application/ofd blob. */
int yw_files__check_png(void *blob, char *msg, size_t n);
int yw_files__check_jpeg(void *blob, char *msg, size_t n);
int yw_files__check_ofd(void *blob, char *msg, size_t n);

/* ---- check.c ---- */

/* Find the programs the checks run (qpdf) on PATH; YW_ECONFIG naming the
 * missing one and its Debian package.  Module init; tests. */
int yw_files__check_init(struct yw_err *err);

#endif
