/*
 * static.c - serve the web portal's files from web_root.
 *
 * GET/HEAD only; paths with "..", hidden segments or NUL are refused; a
 * directory serves its index.html.  Every file gets a weak ETag from its size
 * and modification time, so browsers revalidate cheaply (304); HTML is
 * revalidated on each load (no-cache), other assets are cached for an hour.
 */
#include "http/internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
    const char *ext, *type;
} types[] = {
    { ".html", "text/html; charset=utf-8" },
    { ".js", "text/javascript; charset=utf-8" },
    { ".mjs", "text/javascript; charset=utf-8" },
    { ".css", "text/css; charset=utf-8" },
    { ".json", "application/json; charset=utf-8" },
    { ".svg", "image/svg+xml" },
    { ".png", "image/png" },
    { ".jpg", "image/jpeg" },
    { ".jpeg", "image/jpeg" },
    { ".ico", "image/x-icon" },
    { ".woff2", "font/woff2" },
    { ".txt", "text/plain; charset=utf-8" },
    { ".pdf", "application/pdf" },
    { ".map", "application/json" },
    { ".webmanifest", "application/manifest+json" },
};

static const char *
type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(dot, types[i].ext) == 0)
                return types[i].type;
    return "application/octet-stream";
}

static bool
safe_path(const char *p)
{
    if (*p != '/')
        return false;
    for (const char *s = p; *s; s++) {
        if (s[0] == '/' && s[1] == '.')
            return false; /* "..", hidden files like .git */
        if (s[0] == '\\')
            return false;
    }
    return strlen(p) < 1024;
}

int
yw_http__static(struct yw_req *req, const char *web_root)
{
    if (!safe_path(req->path))
        return YW_ENOTFOUND;
    char file[2048];
    int n = snprintf(file, sizeof file, "%s%s", web_root, req->path);
    if (n < 0 || (size_t)n >= sizeof file - 16)
        return YW_ENOTFOUND;
    struct stat st;
    if (stat(file, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t len = strlen(file);
        snprintf(file + len, sizeof file - len, "%sindex.html", file[len - 1] == '/' ? "" : "/");
    }
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return YW_ENOTFOUND;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return YW_ENOTFOUND;
    }
    char etag[64];
    snprintf(etag, sizeof etag, "W/\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st.st_mtim.tv_nsec);
    const char *type = type_of(file);
    bool html = strncmp(type, "text/html", 9) == 0;
    yw_resp_header(req, "ETag", etag);
    yw_resp_header(req, "Cache-Control", html ? "no-cache" : "public, max-age=3600");
    const char *inm = yw_req_header(req, "If-None-Match");
    if (inm && strcmp(inm, etag) == 0) {
        close(fd);
        yw_resp_static(req, 304, NULL, "", 0);
        return 0;
    }
    yw_resp_static(req, 200, type, "", 0);
    req->resp_fd = fd;
    req->resp_fd_len = (uint64_t)st.st_size;
    return 0;
}
