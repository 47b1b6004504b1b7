/*
 * err.c - lookups over the error table in err.h and the yw_fail() helper.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *
yw_strerror(int rc)
{
    switch (rc) {
    case YW_OK: return "ok";
#define YW_ERR_MSG(name, val, http, code, msg) case val: return msg;
    YW_ERRORS(YW_ERR_MSG)
#undef YW_ERR_MSG
    }
    return "unknown error";
}

const char *
yw_errcode(int rc)
{
    switch (rc) {
    case YW_OK: return "ok";
#define YW_ERR_CODE(name, val, http, code, msg) case val: return code;
    YW_ERRORS(YW_ERR_CODE)
#undef YW_ERR_CODE
    }
    return "internal_error";
}

int
yw_errhttp(int rc)
{
    switch (rc) {
    case YW_OK: return 200;
#define YW_ERR_HTTP(name, val, http, code, msg) case val: return http;
    YW_ERRORS(YW_ERR_HTTP)
#undef YW_ERR_HTTP
    }
    return 500;
}

int
yw_fail(struct yw_err *err, int rc, const char *field, const char *fmt, ...)
{
    if (err == NULL)
        return rc;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    } else {
        err->msg[0] = '\0';
    }
    return rc;
}
