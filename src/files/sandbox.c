/*
 * sandbox.c - running a check of an uploaded file in a child process, with
 * CPU-time, memory and wall-clock limits (see internal.h).
 *
 * The structure of an upload is read by parsers of hostile input - qpdf for
 * PDF, libpng, libjpeg and libzip for the rest.  None of them runs in the
 * server's process: a parser that loops, allocates without end or crashes
 * must cost one child, never the server that holds every other request.  So
 * each check is a child with RLIMIT_CPU, RLIMIT_AS, no core file, a lower
 * priority, only the descriptors it needs, and a parent that kills it at a
 * wall-clock deadline.
 *
 * Two kinds: a program (qpdf) is fork + exec, with only async-signal-safe
 * calls between them; a library check is a function run in the forked child
 * itself, which reads the upload through the mapping it inherited.  After
 * fork() in a threaded process the child may only use what keeps no lock
 * another thread might hold: glibc's malloc is made consistent across fork,
 * and libpng, libjpeg, libzip and zlib keep no global state; the checks
 * (decode.c) use nothing else of the server.  The child ends with _exit(),
 * so no atexit handler of the server runs in it.
 */
#include "files/internal.h"

#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Bytes of address space the process has mapped now (the forked child's
 * starting point: its limit is this plus its budget). */
static uint64_t
mapped_now(void)
{
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char buf[64];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    unsigned long long pages = 0;
    for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
        pages = pages * 10 + (unsigned long long)(*p - '0');
    long page = sysconf(_SC_PAGESIZE);
    return pages * (uint64_t)(page > 0 ? page : 4096);
}

/* In the child, before the check: limits, signals, priority, descriptors.
 * Async-signal-safe calls only.  keep_from..: descriptors 0..keep_from-1
 * stay open, the rest are closed.  as_limit 0: no RLIMIT_AS. */
static void
child_setup(pid_t parent, const struct yw_files_limits *lim, uint64_t as_limit, int keep_from)
{
    /* die with the server (the thread that forked us) */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(125);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    struct rlimit r;
    r.rlim_cur = lim->cpu_s;
    r.rlim_max = lim->cpu_s + 1; /* SIGXCPU at the soft limit, SIGKILL at the hard one */
    setrlimit(RLIMIT_CPU, &r);
    if (as_limit) {
        r.rlim_cur = r.rlim_max = as_limit;
        setrlimit(RLIMIT_AS, &r);
    }
    r.rlim_cur = r.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &r);
    setrlimit(RLIMIT_FSIZE, &r); /* a check writes no file */
    r.rlim_cur = r.rlim_max = 32;
    setrlimit(RLIMIT_NOFILE, &r);
    setpriority(PRIO_PROCESS, 0, 10);
    close_range((unsigned)keep_from, ~0u, 0);
}

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* In the parent: read the child's output from fd until EOF or the deadline
 * (killing it then), reap it, and fill *run.  keep_tail: keep the last bytes
 * (a program's output) rather than the first (a function's message). */
static void
collect(pid_t pid, int fd, const struct yw_files_limits *lim, bool keep_tail,
        struct yw_files_run *run)
{
    /* run->out as a ring when keeping the tail: `total` bytes seen so far */
    size_t cap = sizeof run->out - 1, total = 0;
    int64_t deadline = now_ms() + lim->wall_ms;
    bool timed_out = false;
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int pr = poll(&p, 1, (int)(left > 1000 ? 1000 : left));
        if (pr < 0 && errno != EINTR)
            break;
        if (pr <= 0)
            continue;
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            break; /* EOF: the child is ending */
        for (ssize_t i = 0; i < n; i++, total++) {
            if (total < cap)
                run->out[total] = buf[i];
            else if (keep_tail)
                run->out[total % cap] = buf[i];
        }
    }
    if (total > cap && keep_tail) { /* unroll the ring: oldest byte first */
        char tmp[sizeof run->out];
        size_t start = total % cap;
        memcpy(tmp, run->out + start, cap - start);
        memcpy(tmp + cap - start, run->out, start);
        memcpy(run->out, tmp, cap);
    }
    run->out[total < cap ? total : cap] = '\0';
    close(fd);
    /* EOF comes as the child ends; should it live on without its output,
     * the deadline still holds */
    if (timed_out)
        kill(pid, SIGKILL);
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, timed_out ? 0 : WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR))
            break;
        if (w == 0 && now_ms() >= deadline) {
            timed_out = true;
            kill(pid, SIGKILL);
        } else if (w == 0) {
            poll(NULL, 0, 2);
        }
    }
    if (timed_out) {
        run->end = YW_FILES_TIMEOUT;
    } else if (WIFSIGNALED(status)) {
        run->end = YW_FILES_SIGNALED;
        run->sig = WTERMSIG(status);
    } else {
        run->end = YW_FILES_EXITED;
        run->exit_code = WEXITSTATUS(status);
    }
}

int
yw_files__fork_check(yw_files_check_fn fn, void *arg, const struct yw_files_limits *lim,
                     struct yw_files_run *run)
{
    memset(run, 0, sizeof *run);
    uint64_t as_limit = mapped_now();
    if (as_limit)
        as_limit += lim->mem;
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return YW_EIO;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return YW_EIO;
    }
    if (pid == 0) {
        /* the message pipe becomes descriptor 3, everything above goes */
        if (pfd[1] != 3 && dup2(pfd[1], 3) < 0)
            _exit(126);
        child_setup(parent, lim, as_limit, 4);
        char msg[sizeof run->out];
        msg[0] = '\0';
        int rc = fn(arg, msg, sizeof msg);
        size_t len = strnlen(msg, sizeof msg);
        for (size_t off = 0; off < len;) {
            ssize_t w = write(3, msg + off, len - off);
            if (w <= 0)
                break;
            off += (size_t)w;
        }
        _exit(rc == 0 ? 0 : 1);
    }
    close(pfd[1]);
    collect(pid, pfd[0], lim, false, run);
    return 0;
}

int
yw_files__exec(const char *path, char *const argv[], int in_fd, const struct yw_files_limits *lim,
               struct yw_files_run *run)
{
    memset(run, 0, sizeof *run);
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return YW_EIO;
    static char *const envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", NULL };
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return YW_EIO;
    }
    if (pid == 0) {
        if (dup2(in_fd, 0) < 0 || dup2(pfd[1], 1) < 0 || dup2(pfd[1], 2) < 0)
            _exit(126);
        child_setup(parent, lim, lim->mem, 3);
        execve(path, argv, envp);
        _exit(127);
    }
    close(pfd[1]);
    collect(pid, pfd[0], lim, true, run);
    return 0;
}
