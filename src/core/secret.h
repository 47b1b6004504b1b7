/*
 * secret.h - the deployment's secret key: the 32 bytes under which the
 * private halves of the signing keys kept in the database are sealed
 * (AES-256-GCM, core/sm2.h yw_seal): the departments' license keys and the
 * audit log's tree-head key.  Every node of a deployment needs the same one.
 *
 * It exists so that the key is read by one piece of code with one set of
 * rules: the setting secret_key (64 hex digits) wins; else the file
 * secret_key_file is read, and made with a new random key (mode 0600, never
 * over a file another process made meanwhile, synced, with a warning to back
 * it up) only when the database holds no key sealed under an older secret -
 * a new secret would not open those, and every signature made with them
 * would fail later (issue 21).  Core cannot read the modules' tables, so the
 * caller says which sealed keys exist.
 */
#ifndef YW_CORE_SECRET_H
#define YW_CORE_SECRET_H

#include "core/err.h"

struct yw_config;

#define YW_SECRET_LEN 32

/* Load the secret key into out.
 *
 * `sealed` is NULL when the database holds no key sealed under a secret (a
 * missing key file may then be made), else it names those keys for the
 * message ("licenses", "audit log"): a missing key file is then
 * refused with YW_ECONFIG and a message that names the file (absolute) and
 * says to restore it; nothing is made.  `module` names the caller in log
 * lines.
 *
 * Returns 0, or YW_ECONFIG with err->field "secret_key" (not 64 hex digits)
 * or "secret_key_file" (missing and refused, unreadable, not 64 hex digits,
 * cannot be made).  Every buffer that held the key's text is wiped; out is
 * wiped on failure.  Warns (once per process) of a key file others can read. */
int yw_secret_load(const struct yw_config *cfg, const char *sealed, const char *module,
                   unsigned char out[YW_SECRET_LEN], struct yw_err *err);

/* Parse exactly 64 hex digits (either case) into out: 0 or YW_ECONFIG. */
int yw_secret_parse(const char *hex, unsigned char out[YW_SECRET_LEN]);

#endif
