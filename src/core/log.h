/*
 * log.h - structured logging: one JSON object per line on stderr.
 *
 * Each line is formatted into a stack buffer and written with one write(2), so
 * lines from concurrent threads never interleave and no lock is taken.  Every
 * line names its module.  Secrets are never passed to the logger.
 */
#ifndef YW_CORE_LOG_H
#define YW_CORE_LOG_H

enum yw_log_level {
    YW_LOG_DEBUG,
    YW_LOG_INFO,
    YW_LOG_WARN,
    YW_LOG_ERROR,
    YW_LOG_FATAL
};

/* Set the least level that is written (default INFO).  Not thread-safe: call at start. */
void yw_log_set_level(enum yw_log_level lvl);
/* Parse "debug|info|warn|error"; returns -1 when unknown. */
int yw_log_level_parse(const char *s);

void yw_log(enum yw_log_level lvl, const char *module, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define yw_log_info(mod, ...)  yw_log(YW_LOG_INFO, mod, __VA_ARGS__)
#define yw_log_warn(mod, ...)  yw_log(YW_LOG_WARN, mod, __VA_ARGS__)
#define yw_log_error(mod, ...) yw_log(YW_LOG_ERROR, mod, __VA_ARGS__)
#define yw_log_debug(mod, ...) yw_log(YW_LOG_DEBUG, mod, __VA_ARGS__)

#endif
