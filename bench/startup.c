/*
 * startup.c - wall time from spawn until GET /readyz answers 200.
 *
 *   startup PORT LOGFILE -- COMMAND ARGS...
 *
 * Forks and execs COMMAND (stdout and stderr appended to LOGFILE), then polls
 * 127.0.0.1:PORT/readyz every 0.5 ms with a raw HTTP/1.1 request until it
 * answers 200 (10 s at most), prints "ready_ms=X cpu_ms=Y" (Y: the CPU time the
 * server had used by then, user + system, from /proc/PID/stat), sends SIGTERM
 * and waits for the process to exit (5 s, then SIGKILL).  Exit status 0 only
 * when ready.
 * Part of `make bench` (bench/run.sh); never part of `make test`.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
nap_us(long us)
{
    struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
    nanosleep(&ts, NULL);
}

/* 1 when /readyz answered 200, 0 otherwise. */
static int
probe(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = { 1, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int ok = 0;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0) {
        static const char rq[] =
            "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if (write(fd, rq, sizeof rq - 1) == (ssize_t)(sizeof rq - 1)) {
            char buf[64];
            size_t n = 0;
            while (n < 12) {
                ssize_t r = read(fd, buf + n, sizeof buf - 1 - n);
                if (r <= 0)
                    break;
                n += (size_t)r;
            }
            buf[n] = '\0';
            ok = n >= 12 && strncmp(buf, "HTTP/1.1 200", 12) == 0;
        }
    }
    close(fd);
    return ok;
}

/* utime + stime of pid in milliseconds, or -1. */
static double
cpu_ms_of(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may contain spaces */
    if (p == NULL)
        return -1;
    unsigned long long ut = 0, st = 0;
    /* after ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

int
main(int argc, char **argv)
{
    if (argc < 5 || strcmp(argv[3], "--") != 0) {
        fprintf(stderr, "usage: startup PORT LOGFILE -- COMMAND ARGS...\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int logfd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (logfd < 0) {
        perror("startup: log file");
        return 1;
    }
    double t0 = now_ms();
    pid_t pid = fork();
    if (pid < 0) {
        perror("startup: fork");
        return 1;
    }
    if (pid == 0) {
        dup2(logfd, 1);
        dup2(logfd, 2);
        execvp(argv[4], argv + 4);
        perror("startup: exec");
        _exit(127);
    }
    int ready = 0;
    double t = t0, cpu = -1;
    while (t - t0 < 10000) {
        if (probe(port)) {
            ready = 1;
            t = now_ms();
            cpu = cpu_ms_of(pid);
            break;
        }
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid) {
            fprintf(stderr, "startup: the server exited before it was ready\n");
            return 1;
        }
        nap_us(500);
        t = now_ms();
    }
    if (ready)
        printf("ready_ms=%.2f cpu_ms=%.0f\n", t - t0, cpu);
    else
        fprintf(stderr, "startup: not ready after 10 s\n");
    kill(pid, SIGTERM);
    int st;
    for (int i = 0; i < 500; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid)
            return ready ? 0 : 1;
        nap_us(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return ready ? 0 : 1;
}
