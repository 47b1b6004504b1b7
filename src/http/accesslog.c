/*
 * accesslog.c - one JSON line per request.
 *
 * Each line is formatted on the stack and written with a single write(2) on an
 * O_APPEND descriptor: lines never interleave, and no lock serializes the
 * worker threads.  "off" disables the log (the metrics still count).
 */
#include "http/internal.h"

#include "core/clock.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int log_fd = -1;

int
yw_accesslog_open(const char *spec)
{
    if (spec == NULL || strcmp(spec, "off") == 0) {
        log_fd = -1;
        return 0;
    }
    if (strcmp(spec, "-") == 0) {
        log_fd = STDERR_FILENO;
        return 0;
    }
    int fd = open(spec, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0)
        return YW_EIO;
    log_fd = fd;
    return 0;
}

void
yw_accesslog_close(void)
{
    if (log_fd > STDERR_FILENO)
        close(log_fd);
    log_fd = -1;
}

/* Append s as JSON string content into p (bounded), return new position. */
static char *
put_str(char *p, char *end, const char *s)
{
    *p++ = '"';
    for (; s && *s && p < end - 8; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            *p++ = '\\';
            *p++ = (char)c;
        } else if (c < 0x20) {
            p += snprintf(p, (size_t)(end - p), "\\u%04x", c);
        } else {
            *p++ = (char)c;
        }
    }
    *p++ = '"';
    return p;
}

void
yw_accesslog_write(struct yw_req *req, int status, size_t bytes, int64_t duration_ns)
{
    if (log_fd < 0)
        return;
    char line[2048];
    char *p = line, *end = line + sizeof line - 64;
    char ts[32];
    yw_clock_format(yw_clock_real_ms(), ts);
    p += snprintf(p, (size_t)(end - p), "{\"ts\":\"%s\",\"id\":", ts);
    p = put_str(p, end, req->request_id);
    p += snprintf(p, (size_t)(end - p), ",\"ip\":");
    p = put_str(p, end, req->client_ip);
    p += snprintf(p, (size_t)(end - p), ",\"method\":");
    p = put_str(p, end, req->method);
    p += snprintf(p, (size_t)(end - p), ",\"path\":");
    p = put_str(p, end, req->path);
    p += snprintf(p, (size_t)(end - p), ",\"route\":");
    p = put_str(p, end, req->route ? req->route->path : "");
    p += snprintf(p, (size_t)(end - p), ",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f", status, bytes,
                  (double)duration_ns / 1e6);
    if (req->who) {
        p += snprintf(p, (size_t)(end - p), ",\"account\":%lld", (long long)req->who->account_id);
    }
    if (status >= 400 && req->err.msg[0]) {
        p += snprintf(p, (size_t)(end - p), ",\"error\":");
        p = put_str(p, end, req->err.msg);
    }
    *p++ = '}';
    *p++ = '\n';
    ssize_t w = write(log_fd, line, (size_t)(p - line));
    (void)w;
}
