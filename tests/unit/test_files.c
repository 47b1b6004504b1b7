/*
 * test_files.c - unit tests of the child processes that check uploads
 * (files/sandbox.c) and of finding their programs (files/check.c): a check
 * that spins is stopped by its CPU limit, one that sleeps by the wall clock,
 * one that allocates without end by its memory limit; a crash is a signal, a
 * refusal an exit code with its message; a program runs with the limits set,
 * its output kept and no descriptor of ours open; without qpdf on PATH the
 * module does not start; the file access providers are asked in order, a
 * failed read denies with its error.  The file types themselves are tested through the
 * API on both engines (tests/api/files_check.test.js).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/err.h"
#include "core/provider.h"
#include "files/internal.h"

#include <signal.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static int64_t
mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
passes(void *arg, char *msg, size_t n)
{
    (void)arg;
    (void)msg;
    (void)n;
    return 0;
}

static int
refuses(void *arg, char *msg, size_t n)
{
    snprintf(msg, n, "refused: %s", (const char *)arg);
    return 1;
}

static int
spins(void *arg, char *msg, size_t n)
{
    (void)msg;
    (void)n;
    volatile unsigned long *x = arg;
    for (;;)
        (*x)++;
    return 0;
}

static int
sleeps(void *arg, char *msg, size_t n)
{
    (void)arg;
    (void)msg;
    (void)n;
    for (;;)
        pause();
    return 0;
}

/* Allocate and touch 16 MiB at a time until malloc says no. */
static int
eats_memory(void *arg, char *msg, size_t n)
{
    size_t total = 0;
    for (int i = 0; i < 1024; i++) { /* 16 GiB: far past any limit here */
        char *p = malloc(16u << 20);
        if (p == NULL) {
            snprintf(msg, n, "out of memory after %zu MiB", total >> 20);
            return 1;
        }
        memset(p, 1, 16u << 20);
        total += 16u << 20;
    }
    (void)arg;
    return 0;
}

static int
crashes(void *arg, char *msg, size_t n)
{
    (void)arg;
    (void)msg;
    (void)n;
    abort();
}

static void
test_verdicts(void **state)
{
    (void)state;
    struct yw_files_limits lim = { .cpu_s = 5, .mem = 256u << 20, .wall_ms = 10000 };
    struct yw_files_run run;
    assert_int_equal(yw_files__fork_check(passes, NULL, &lim, &run), 0);
    assert_int_equal(run.end, YW_FILES_EXITED);
    assert_int_equal(run.exit_code, 0);
    assert_string_equal(run.out, "");

    assert_int_equal(yw_files__fork_check(refuses, "no OFD.xml", &lim, &run), 0);
    assert_int_equal(run.end, YW_FILES_EXITED);
    assert_int_equal(run.exit_code, 1);
    assert_string_equal(run.out, "refused: no OFD.xml");

    assert_int_equal(yw_files__fork_check(crashes, NULL, &lim, &run), 0);
    assert_int_equal(run.end, YW_FILES_SIGNALED);
    assert_int_equal(run.sig, SIGABRT);
}

static void
test_cpu_limit(void **state)
{
    (void)state;
    struct yw_files_limits lim = { .cpu_s = 1, .mem = 256u << 20, .wall_ms = 20000 };
    struct yw_files_run run;
    unsigned long counter = 0;
    int64_t t0 = mono_ms();
    assert_int_equal(yw_files__fork_check(spins, &counter, &lim, &run), 0);
    int64_t took = mono_ms() - t0;
    assert_int_equal(run.end, YW_FILES_SIGNALED);
    assert_true(run.sig == SIGXCPU || run.sig == SIGKILL);
    assert_true(took < 15000);    /* the CPU limit ended it, not the wall clock */
    assert_int_equal(counter, 0); /* the child's memory is its own */
}

static void
test_wall_clock(void **state)
{
    (void)state;
    struct yw_files_limits lim = { .cpu_s = 5, .mem = 256u << 20, .wall_ms = 300 };
    struct yw_files_run run;
    int64_t t0 = mono_ms();
    assert_int_equal(yw_files__fork_check(sleeps, NULL, &lim, &run), 0);
    int64_t took = mono_ms() - t0;
    assert_int_equal(run.end, YW_FILES_TIMEOUT);
    assert_true(took >= 300);
    assert_true(took < 5000);
}

static void
test_memory_limit(void **state)
{
    (void)state;
    if (UNDER_ASAN)
        skip(); /* ASan reserves its heap up front and aborts rather than return NULL */
    struct yw_files_limits lim = { .cpu_s = 10, .mem = 128u << 20, .wall_ms = 20000 };
    struct yw_files_run run;
    assert_int_equal(yw_files__fork_check(eats_memory, NULL, &lim, &run), 0);
    assert_int_equal(run.end, YW_FILES_EXITED);
    assert_int_equal(run.exit_code, 1);
    unsigned mib = 0;
    assert_int_equal(sscanf(run.out, "out of memory after %u MiB", &mib), 1);
    assert_true(mib <= 128);
}

static void
test_exec(void **state)
{
    (void)state;
    struct yw_files_limits lim = { .cpu_s = 7, .mem = 300u << 20, .wall_ms = 10000 };
    struct yw_files_run run;
    /* the limits as the program sees them, its descriptors, its environment */
    char *argv[] = {
        "sh", "-c",
        "echo cpu=$(ulimit -t) as=$(ulimit -v) core=$(ulimit -c); ls /proc/self/fd | tr '\\n' ' '; echo; "
        "echo in=$(cat); echo env= $(env | sort | tr '\\n' ' '); exit 3",
        NULL
    };
    setenv("YW_TEST_SECRET", "not for children", 1);
    FILE *in = tmpfile();
    assert_non_null(in);
    fputs("the upload", in);
    fflush(in);
    rewind(in);
    assert_int_equal(yw_files__exec("/bin/sh", argv, fileno(in), &lim, &run), 0);
    fclose(in);
    assert_int_equal(run.end, YW_FILES_EXITED);
    assert_int_equal(run.exit_code, 3);
    assert_non_null(strstr(run.out, "cpu=7 as=307200 core=0\n"));
    assert_non_null(strstr(run.out, "\n0 1 2 3 \n")); /* 3: ls's own listing */
    assert_non_null(strstr(run.out, "in=the upload\n"));
    /* the environment is PATH and LC_ALL=C (and what sh adds), never ours */
    assert_non_null(strstr(run.out, " LC_ALL=C "));
    assert_non_null(strstr(run.out, " PATH=/usr/local/bin:/usr/bin:/bin "));
    assert_null(strstr(run.out, "YW_TEST_SECRET"));

    /* a program that spins is stopped by its CPU limit */
    lim.cpu_s = 1;
    char *spin[] = { "sh", "-c", "while :; do :; done", NULL };
    assert_int_equal(yw_files__exec("/bin/sh", spin, 0, &lim, &run), 0);
    assert_int_equal(run.end, YW_FILES_SIGNALED);
    assert_true(run.sig == SIGXCPU || run.sig == SIGKILL);

    /* only the last bytes of a long output are kept */
    char *chatty[] = { "sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done",
                       NULL };
    assert_int_equal(yw_files__exec("/bin/sh", chatty, 0, &lim, &run), 0);
    assert_int_equal(run.exit_code, 0);
    assert_true(strlen(run.out) == sizeof run.out - 1);
    size_t len = strlen(run.out);
    assert_string_equal(run.out + len - strlen("line 1999\n"), "line 1999\n");

    /* a program that is not there */
    char *none[] = { "no-such-program", NULL };
    assert_int_equal(yw_files__exec("/nonexistent/no-such-program", none, 0, &lim, &run), 0);
    assert_int_equal(run.end, YW_FILES_EXITED);
    assert_int_equal(run.exit_code, 127);
}

static void
test_qpdf_on_path(void **state)
{
    (void)state;
    const char *saved = getenv("PATH");
    char *path = strdup(saved ? saved : "/usr/bin:/bin");
    struct yw_err err = { 0 };
    setenv("PATH", "/nonexistent:/also/not/here", 1);
    assert_int_equal(yw_files__check_init(&err), YW_ECONFIG);
    assert_non_null(strstr(err.msg, "qpdf not found on PATH (/nonexistent:/also/not/here)"));
    assert_non_null(strstr(err.msg, "Debian package qpdf"));
    setenv("PATH", path, 1);
    free(path);
    memset(&err, 0, sizeof err);
    assert_int_equal(yw_files__check_init(&err), 0);
}

/* A PDF through yw_files_check: qpdf in a child decides. */
static void
test_pdf_check(void **state)
{
    (void)state;
    struct yw_err err = { 0 };
    assert_int_equal(yw_files__check_init(&err), 0);
    static const char good[] =
        "%PDF-1.4\n"
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
        "xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
        "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n186\n%%EOF\n";
    static const char bad[] = "%PDF-1.7\n<html><script>alert(1)</script></html>\n";
    for (int i = 0; i < 2; i++) {
        const char *data = i ? bad : good;
        size_t len = i ? sizeof bad - 1 : sizeof good - 1;
        FILE *f = tmpfile();
        assert_non_null(f);
        assert_int_equal(fwrite(data, 1, len, f), len);
        fflush(f);
        memset(&err, 0, sizeof err);
        int rc = yw_files_check("application/pdf", data, len, fileno(f), &err);
        fclose(f);
        if (i == 0) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, YW_EFILE);
            assert_string_equal(err.field, "file");
            assert_non_null(strstr(err.msg, "the PDF does not parse"));
        }
    }
}

/* File access providers: "a" knows file "f-a", fails on "f-err"; "b" knows
 * "f-b" and "f-err". */
static int
access_a(struct yw_dbc *c, const char *file_id, const struct yw_principal *who, void *ctx)
{
    (void)c;
    (void)who;
    (*(int *)ctx)++;
    return !strcmp(file_id, "f-a") ? 0 : !strcmp(file_id, "f-err") ? YW_EDB : YW_ENOTFOUND;
}

static int
access_b(struct yw_dbc *c, const char *file_id, const struct yw_principal *who, void *ctx)
{
    (void)c;
    (void)who;
    (*(int *)ctx)++;
    return !strcmp(file_id, "f-b") || !strcmp(file_id, "f-err") ? 0 : YW_ENOTFOUND;
}

static void
test_file_access_providers(void **state)
{
    (void)state;
    yw_provider_reset();
    const char *via = "x";
    assert_int_equal(yw_provider_file_access(NULL, "f-a", NULL, &via),
                     YW_ENOTFOUND); /* none registered */
    assert_null(via);
    int calls_a = 0, calls_b = 0;
    yw_provider_add_file_access("a", access_a, &calls_a);
    yw_provider_add_file_access("b", access_b, &calls_b);
    assert_int_equal(yw_provider_file_access(NULL, "f-a", NULL, &via), 0);
    assert_string_equal(via, "a");
    assert_int_equal(calls_b, 0); /* the first yes wins */
    assert_int_equal(yw_provider_file_access(NULL, "f-b", NULL, &via), 0);
    assert_string_equal(via, "b");
    assert_int_equal(yw_provider_file_access(NULL, "f-none", NULL, NULL), YW_ENOTFOUND);
    calls_b = 0;
    assert_int_equal(yw_provider_file_access(NULL, "f-err", NULL, &via),
                     YW_EDB); /* never a yes, nor a no */
    assert_int_equal(calls_b, 0);
    yw_provider_reset();
    assert_int_equal(yw_provider_file_access(NULL, "f-a", NULL, NULL), YW_ENOTFOUND);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdicts),   cmocka_unit_test(test_cpu_limit),
        cmocka_unit_test(test_wall_clock), cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_exec),       cmocka_unit_test(test_qpdf_on_path),
        cmocka_unit_test(test_pdf_check),  cmocka_unit_test(test_file_access_providers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
