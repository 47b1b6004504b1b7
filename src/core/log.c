/*
 * log.c - JSON-lines logger (see log.h).
 */
#include "core/log.h"

#include "core/clock.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static enum yw_log_level min_level = YW_LOG_INFO;
static const char *const level_names[] = { "debug", "info", "warn", "error", "fatal" };

void
yw_log_set_level(enum yw_log_level lvl)
{
    min_level = lvl;
}

int
yw_log_level_parse(const char *s)
{
    for (int i = 0; i < 5; i++)
        if (strcmp(s, level_names[i]) == 0)
            return i;
    return -1;
}

void
yw_log(enum yw_log_level lvl, const char *module, const char *fmt, ...)
{
    if (lvl < min_level)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    char ts[32];
    yw_clock_format(yw_clock_real_ms(), ts);
    struct yw_buf b;
    yw_buf_init(&b);
    yw_buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"module\":", ts, level_names[lvl]);
    yw_buf_add_json_str(&b, module, strlen(module));
    yw_buf_adds(&b, ",\"msg\":");
    yw_buf_add_json_str(&b, msg, strlen(msg));
    yw_buf_adds(&b, "}\n");
    ssize_t w = write(STDERR_FILENO, b.p, b.n);
    (void)w;
    yw_buf_release(&b);
}
