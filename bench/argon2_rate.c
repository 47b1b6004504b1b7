/*
 * argon2_rate.c - bare libsodium Argon2id rate with ywtb's parameters.
 *
 *   argon2_rate OPS MEMBYTES SECONDS THREADS
 *
 * Hashes one password string once with crypto_pwhash_str_alg (Argon2id13),
 * then runs crypto_pwhash_str_verify - exactly what a login does - in THREADS
 * threads for SECONDS of wall time.  Prints one line:
 *   threads=T verifies=N seconds=S rate=R per_thread=R/T ms_each=M cpu_s=C per_cpu_s=N/C
 * cpu_s is the process's user+system CPU time (getrusage), so per_cpu_s stays
 * meaningful when other work on the machine takes CPU away from the threads.
 * Part of `make bench` (bench/run.sh); never part of `make test`.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static char hash[crypto_pwhash_STRBYTES];
static const char *pw = "Demo@2026";
static double deadline;
static atomic_long total;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
worker(void *arg)
{
    (void)arg;
    long n = 0;
    while (now_s() < deadline) {
        if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) != 0) {
            fprintf(stderr, "argon2_rate: verify failed\n");
            exit(1);
        }
        n++;
    }
    atomic_fetch_add(&total, n);
    return NULL;
}

int
main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: argon2_rate OPS MEMBYTES SECONDS THREADS\n");
        return 2;
    }
    unsigned long long ops = strtoull(argv[1], NULL, 10);
    size_t mem = (size_t)strtoull(argv[2], NULL, 10);
    double secs = atof(argv[3]);
    int threads = atoi(argv[4]);
    if (threads < 1 || threads > 256)
        threads = 1;
    if (sodium_init() < 0)
        return 1;
    if (crypto_pwhash_str_alg(hash, pw, strlen(pw), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        fprintf(stderr, "argon2_rate: hashing failed (out of memory?)\n");
        return 1;
    }
    pthread_t th[256];
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    double t0 = now_s();
    deadline = t0 + secs;
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, worker, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    double dt = now_s() - t0;
    getrusage(RUSAGE_SELF, &r1);
    double cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec + r1.ru_stime.tv_sec -
                          r0.ru_stime.tv_sec) +
                 (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec + r1.ru_stime.tv_usec -
                          r0.ru_stime.tv_usec) /
                     1e6;
    long n = atomic_load(&total);
    printf(
        "threads=%d verifies=%ld seconds=%.3f rate=%.2f per_thread=%.2f ms_each=%.2f cpu_s=%.3f per_cpu_s=%.2f\n",
        threads, n, dt, (double)n / dt, (double)n / dt / threads,
        n ? dt * 1000.0 * threads / (double)n : 0.0, cpu, cpu > 0 ? (double)n / cpu : 0.0);
    return 0;
}
