/*
 * err.h - the one table of ywtb error codes.
 *
 * Every failure in ywtb is an int: 0 for success or a negative YW_E... code.
 * The enum, yw_strerror(), the stable machine-readable code string and the HTTP
 * status all expand from the single X-macro below (the libuv way), so adding an
 * error is adding one line, and the JSON error body is built in one place
 * (http/response.c).  Details a caller needs (which field failed, a message that
 * names the subject) travel in an optional struct yw_err.
 */
#ifndef YW_CORE_ERR_H
#define YW_CORE_ERR_H

#include <stdarg.h>
#include <stddef.h>

/*         name           value  http  code string            default message */
// clang-format off
#define YW_ERRORS(X)                                                                    \
    X(EINVAL,       -1,  400, "invalid_request",   "the request is not valid")              \
    X(EJSON,        -2,  400, "invalid_json",      "the body is not valid JSON")            \
    X(EUTF8,        -3,  400, "invalid_utf8",      "the input is not valid UTF-8")          \
    X(EFIELD,       -4,  422, "invalid_field",     "a field has a wrong type or value")     \
    X(EUNKNOWN,     -5,  400, "unknown_field",     "the body has a field that is not known") \
    X(EMISSING,     -6,  422, "missing_field",     "a required field is missing")           \
    X(EAUTH,        -7,  401, "unauthenticated",   "log in first")                          \
    X(EFORBIDDEN,   -8,  403, "forbidden",         "your role does not allow this")         \
    X(ENOTFOUND,    -9,  404, "not_found",         "no such resource")                      \
    X(EMETHOD,     -10,  405, "method_not_allowed", "this method is not allowed here")      \
    X(ECONFLICT,   -11,  409, "conflict",          "the resource already exists or changed") \
    X(ESTATE,      -12,  409, "invalid_state",     "not allowed in the current state")      \
    X(ETOOBIG,     -13,  413, "payload_too_large", "the request body is too large")         \
    X(EMEDIA,      -14,  415, "unsupported_media", "the content type is not supported")     \
    X(EFILE,       -28,  422, "invalid_file",      "the file is damaged or not what its content claims") \
    X(ERATE,       -15,  429, "rate_limited",      "too many requests, try again later")    \
    X(ELOCKED,     -16,  429, "account_locked",    "too many failed logins, try again later") \
    X(ECREDS,      -17,  401, "invalid_credentials", "the login or password is wrong")      \
    X(ECSRF,       -18,  403, "csrf_token_invalid", "the CSRF token is missing or wrong")   \
    X(EIDEMREUSED, -19,  422, "idempotency_key_reused", "the Idempotency-Key was used with another request") \
    X(EPRECOND,    -20,  412, "precondition_failed", "the resource changed since you read it (If-Match)") \
    X(EIDLEN,      -40,  422, "invalid_id_length",   "an identity number has 18 characters") \
    X(EIDCHARS,    -41,  422, "invalid_id_chars",    "the identity number has a bad character") \
    X(EIDREGION,   -42,  422, "invalid_id_region",   "the identity number's region is unknown") \
    X(EIDBIRTH,    -43,  422, "invalid_id_birth_date", "the ID number's birth date is wrong") \
    X(EIDCHECK,    -44,  422, "invalid_id_checksum", "the identity number's check fails")    \
    X(EUSCCLEN,    -45,  422, "invalid_uscc_length", "a credit code has 18 characters")      \
    X(EUSCCCHARS,  -46,  422, "invalid_uscc_chars",  "the credit code has a bad character")  \
    X(EUSCCCAT,    -47,  422, "invalid_uscc_category", "the credit code's category is unknown") \
    X(EUSCCREGION, -48,  422, "invalid_uscc_region", "the credit code's region is not digits") \
    X(EUSCCORG,    -49,  422, "invalid_uscc_org_code", "the embedded org code's check fails") \
    X(EUSCCCHECK,  -50,  422, "invalid_uscc_checksum", "the credit code's check fails")      \
    /* sso (issue 13): codes -60 to -64 */                                                       \
    /* datahub (issue 9): codes -65 to -69 */                                                    \
    /* supervision (issue 10): codes -70 to -74 */                                               \
    X(ECREDITBLOCK, -70, 422, "credit_blocked",   "a credit record blocks this application") \
    /* services (issue 11): codes -75 to -79 */                                                  \
    X(ESVCBLOCKED, -75,  403, "booking_blocked",   "new bookings are blocked after repeated no-shows") \
    X(ESVCFULL,    -76,  409, "slot_full",         "the slot has no place left")          \
    /* hotline (issue 12): codes -80 to -84 */                                                   \
    /* payments (issue 18): codes -85 to -89 */                                                  \
    X(EPAYSIG,     -85,  400, "invalid_signature", "the payment gateway's signature does not verify") \
    /* selfservice (issue 20): codes -90 to -94 */                                               \
    X(ESSCODE,     -90,  422, "pickup_code_invalid", "the pickup code is wrong for this locker") \
    X(ESSLOCKED,   -91,  429, "locker_locked",     "too many wrong pickup codes at this locker, try later") \
    X(ESSEXPIRED,  -92,  409, "login_request_expired", "the kiosk login request has expired") \
    X(ESSOTP,      -93,  422, "otp_invalid",       "the one-time code is wrong")            \
    X(ESSNOSMS,    -94,  409, "sms_not_offered",   "this hall sends no SMS codes: log in by QR code")   \
    X(ERETRY,      -30,  503, "busy",              "the database is busy, retry")           \
    X(EDB,         -31,  500, "database_error",    "the database failed")                   \
    X(EIO,         -32,  500, "io_error",          "an input/output operation failed")      \
    X(ECRYPTO,     -33,  500, "crypto_error",      "a cryptographic operation failed")      \
    X(ECONFIG,     -34,  500, "config_error",      "the configuration is not valid")        \
    X(EINTERNAL,   -35,  500, "internal_error",    "an internal error occurred")            \
    X(EUNAVAIL,    -36,  503, "unavailable",       "the service is not ready")
// clang-format on

enum yw_errno {
    YW_OK = 0,
#define YW_ERR_ENUM(name, val, http, code, msg) YW_##name = (val),
    YW_ERRORS(YW_ERR_ENUM)
#undef YW_ERR_ENUM
};

/* Optional details of a failure.  `field` names the JSON field or flag at fault;
 * `msg` says what failed first and quotes the subject.  Fixed buffers keep it
 * usable without an allocator; the content is truncated, never overflowed. */
struct yw_err {
    char field[64];
    char msg[256];
};

/* Default message of a code ("unknown error" for codes not in the table). */
const char *yw_strerror(int rc);
/* Stable machine code ("invalid_json") used in JSON error bodies. */
const char *yw_errcode(int rc);
/* HTTP status for a code: 200 for 0, 500 for unknown codes. */
int yw_errhttp(int rc);

/* Fill `err` (if not NULL) and return rc, so a caller can `return yw_fail(...)`.
 *
 * The message is formatted like printf, with one difference that keeps it
 * valid UTF-8 whatever it quotes: a precision on %s counts characters, not
 * bytes - `'%.40s'` of a Chinese name shows 40 characters and never half of
 * one (a byte that begins no well-formed character counts as one).  `%.*s`
 * keeps C's meaning (at most that many bytes, the usual way to pass a string
 * that is not NUL-terminated) but is cut back to a whole character too.  A
 * message or field longer than its buffer is cut at a character boundary. */
int yw_fail(struct yw_err *err, int rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* yw_fail's formatting into buf[size] (size > 0; always NUL-terminated):
 * returns the bytes written. */
size_t yw_err_format(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
size_t yw_err_vformat(char *buf, size_t size, const char *fmt, va_list ap);

#endif
