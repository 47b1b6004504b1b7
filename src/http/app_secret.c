/*
 * app_secret.c - the secret key for a module, with every module asked first
 * whether the database holds keys sealed under it.
 *
 * core/secret.c reads the key and makes a missing key file only when told
 * that nothing is sealed under an older one; only the modules know their own
 * tables.  So each module that seals keys (licenses, the audit log's sealer in
 * ops, the OpenID provider in identity) answers through its descriptor's
 * sealed_keys hook, and this asks them all: no module makes a new key file
 * while another's keys still need the old one.
 */
#include "http/http.h"

#include "core/secret.h"
#include "db/db.h"

int
yw_app_secret(struct yw_app *app, const char *module, const char *own, unsigned char out[32],
              struct yw_err *err)
{
    const char *what = own;
    if (app->db && what == NULL) {
        struct yw_dbc *c = yw_db_conn(app->db, err);
        if (c == NULL)
            return YW_EDB;
        for (size_t i = 0; i < app->nmodules && what == NULL; i++) {
            const struct yw_module *m = app->modules[i];
            if (m->sealed_keys == NULL)
                continue;
            int rc = m->sealed_keys(c, &what);
            if (rc)
                return yw_fail(err, rc, "", "cannot read the %s module's signing keys: %s",
                               m->name, yw_dbc_errmsg(c));
        }
    }
    return yw_secret_load(app->cfg, what, module, out, err);
}
