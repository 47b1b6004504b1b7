/*
 * secret.c - loading the deployment's secret key (see secret.h): one reader
 * of secret_key / secret_key_file for every module that seals keys with it,
 * so the rule "never make a new key while the database holds keys sealed
 * under the old one" is written once.
 */
#include "core/secret.h"

#include "core/config.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HEXLEN (2 * YW_SECRET_LEN)

static atomic_bool warned_mode;

int
yw_secret_parse(const char *hex, unsigned char out[YW_SECRET_LEN])
{
    if (hex == NULL || strlen(hex) != HEXLEN)
        return YW_ECONFIG;
    for (int i = 0; i < HEXLEN; i++) {
        char c = hex[i];
        int v = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (v < 0) {
            yw_wipe(out, YW_SECRET_LEN);
            return YW_ECONFIG;
        }
        if (i % 2 == 0)
            out[i / 2] = (unsigned char)(v << 4);
        else
            out[i / 2] |= (unsigned char)v;
    }
    return 0;
}

/* The first line of path into buf (its line end cut): 0, or -1 with errno. */
static int
read_line(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t n = 0;
    while (n < size - 1) {
        ssize_t r = read(fd, buf + n, size - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    return 0;
}

/* A new random key into the file path, which must not exist: 0; 1 when
 * another process made the file meanwhile (read it); or YW_ECONFIG. */
static int
make_file(const char *path, const char *module, struct yw_err *err)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0750); /* var/ on a first start; an error shows at open */
    } else {
        snprintf(dir, sizeof dir, "%s", slash ? "/" : ".");
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        return 1;
    if (fd < 0)
        return yw_fail(err, YW_ECONFIG, "secret_key_file",
                       "cannot create the secret key file '%s': %s", path, strerror(errno));
    unsigned char raw[YW_SECRET_LEN];
    char line[HEXLEN + 2];
    yw_random(raw, sizeof raw);
    yw_hex(raw, sizeof raw, line);
    yw_wipe(raw, sizeof raw);
    line[HEXLEN] = '\n';
    line[HEXLEN + 1] = '\0';
    /* 65 bytes to a new regular file: a short write is a failure (disk full) */
    errno = 0;
    int bad = write(fd, line, HEXLEN + 1) != HEXLEN + 1 || fsync(fd) != 0;
    if (bad && errno == 0)
        errno = ENOSPC;
    int e = errno;
    yw_wipe(line, sizeof line);
    if (close(fd) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        unlink(path); /* a part-written key would stop every later start */
        return yw_fail(err, YW_ECONFIG, "secret_key_file",
                       "cannot write the secret key file '%s': %s", path, strerror(e));
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) { /* the new name survives a crash too */
        fsync(dfd);
        close(dfd);
    }
    yw_log_warn(module, "made a new secret key in %s: back it up, and give every node the same one",
                path);
    return 0;
}

/* A key file others may read: say so, once (the unit's UMask and the docs give 0600). */
static void
warn_if_readable(const char *path, const char *module)
{
    struct stat st;
    if (stat(path, &st) == 0 && (st.st_mode & 077) && !atomic_exchange(&warned_mode, true))
        yw_log_warn(module,
                    "the secret key file %s has mode %04o: others on this machine can read it "
                    "(chmod 600 %s)",
                    path, (unsigned)(st.st_mode & 07777), path);
}

int
yw_secret_load(const struct yw_config *cfg, const char *sealed, const char *module,
               unsigned char out[YW_SECRET_LEN], struct yw_err *err)
{
    const char *hex = cfg->secret_key;
    if (hex && *hex) {
        if (yw_secret_parse(hex, out))
            return yw_fail(err, YW_ECONFIG, "secret_key", "the secret key must be 64 hex digits");
        return 0;
    }
    const char *path = cfg->secret_key_file;
    if (path == NULL || *path == '\0')
        return yw_fail(err, YW_ECONFIG, "secret_key",
                       "no secret key: set secret_key or secret_key_file");
    char buf[HEXLEN + 16];
    int rc = 0;
    for (int attempt = 0;; attempt++) {
        if (read_line(path, buf, sizeof buf) == 0)
            break;
        if (errno != ENOENT || attempt > 0) {
            rc = yw_fail(err, YW_ECONFIG, "secret_key_file",
                         "cannot read the secret key file '%s': %s", path, strerror(errno));
            goto out;
        }
        if (sealed) {
            char cwd[PATH_MAX] = "";
            if (path[0] != '/' && getcwd(cwd, sizeof cwd - 1))
                strcat(cwd, "/");
            rc =
                yw_fail(err, YW_ECONFIG, "secret_key_file",
                        "the secret key file '%s%s' does not exist, but the database holds signing "
                        "keys sealed under a secret key (%s): restore that file (or set "
                        "secret_key_file or secret_key to it); a new key would not open them",
                        path[0] == '/' ? "" : cwd, path, sealed);
            goto out;
        }
        if ((rc = make_file(path, module, err)) < 0)
            goto out;
        rc = 0; /* made here, or by another process just now: read it */
    }
    warn_if_readable(path, module);
    if (yw_secret_parse(buf, out))
        rc = yw_fail(err, YW_ECONFIG, "secret_key_file",
                     "the secret key file '%s' must hold 64 hex digits", path);
out:
    yw_wipe(buf, sizeof buf);
    if (rc)
        yw_wipe(out, YW_SECRET_LEN);
    return rc;
}
