/*
 * provider.c - the registry of material, prefill, file access, material
 * waiver, hold, SMS and approval-ahead providers
 * (see provider.h): small arrays filled at start-up and read on every
 * application and every file read that is not the uploader's.
 */
#include "core/provider.h"

#include "core/err.h"
#include "core/log.h"

#include <string.h>

#define MAX_PROVIDERS 8

static struct {
    const char *name;
    yw_material_provider_fn fn;
    void *ctx;
} materials[MAX_PROVIDERS];
static int nmaterials;

static struct {
    const char *name;
    yw_prefill_provider_fn fn;
    void *ctx;
} prefills[MAX_PROVIDERS];
static int nprefills;

static struct {
    const char *name;
    yw_file_access_fn fn;
    void *ctx;
} file_access[MAX_PROVIDERS];
static int nfile_access;

static struct {
    const char *name;
    yw_waiver_provider_fn fn;
    void *ctx;
} waivers[MAX_PROVIDERS];
static int nwaivers;

static struct {
    const char *name;
    yw_hold_provider_fn fn;
    void *ctx;
} holds[MAX_PROVIDERS];
static int nholds;

static struct {
    const char *name;
    yw_sms_provider_fn fn;
    void *ctx;
} sms[MAX_PROVIDERS];
static int nsms;

static struct {
    const char *name;
    yw_approval_ahead_fn fn;
    void *ctx;
} aheads[MAX_PROVIDERS];
static int naheads;

void
yw_provider_add_material(const char *name, yw_material_provider_fn fn, void *ctx)
{
    if (nmaterials == MAX_PROVIDERS) {
        yw_log_error("core", "too many material providers: '%s' is not registered", name);
        return;
    }
    materials[nmaterials].name = name;
    materials[nmaterials].fn = fn;
    materials[nmaterials].ctx = ctx;
    nmaterials++;
}

void
yw_provider_add_prefill(const char *name, yw_prefill_provider_fn fn, void *ctx)
{
    if (nprefills == MAX_PROVIDERS) {
        yw_log_error("core", "too many prefill providers: '%s' is not registered", name);
        return;
    }
    prefills[nprefills].name = name;
    prefills[nprefills].fn = fn;
    prefills[nprefills].ctx = ctx;
    nprefills++;
}

void
yw_provider_add_file_access(const char *name, yw_file_access_fn fn, void *ctx)
{
    if (nfile_access == MAX_PROVIDERS) {
        yw_log_error("core", "too many file access providers: '%s' is not registered", name);
        return;
    }
    file_access[nfile_access].name = name;
    file_access[nfile_access].fn = fn;
    file_access[nfile_access].ctx = ctx;
    nfile_access++;
}

void
yw_provider_add_waiver(const char *name, yw_waiver_provider_fn fn, void *ctx)
{
    if (nwaivers == MAX_PROVIDERS) {
        yw_log_error("core", "too many material waiver providers: '%s' is not registered", name);
        return;
    }
    waivers[nwaivers].name = name;
    waivers[nwaivers].fn = fn;
    waivers[nwaivers].ctx = ctx;
    nwaivers++;
}

void
yw_provider_reset(void)
{
    nmaterials = 0;
    nprefills = 0;
    nfile_access = 0;
    nwaivers = 0;
    nholds = 0;
    nsms = 0;
    naheads = 0;
}

int
yw_provider_waive_material(struct yw_dbc *c, const char *holder, const char *item_code,
                           const char *dept, const char *material_code, json_t **why)
{
    if (why)
        *why = NULL;
    for (int i = 0; i < nwaivers; i++) {
        json_t *w = NULL;
        int rc = waivers[i].fn(c, holder, item_code, dept, material_code, &w, waivers[i].ctx);
        if (rc == YW_ENOTFOUND)
            continue;
        if (rc) /* a failed read is never a waiver */
            return rc;
        if (why)
            *why = w;
        else
            json_decref(w);
        return 0;
    }
    return YW_ENOTFOUND;
}

int
yw_provider_material_count(void)
{
    return nmaterials;
}

int
yw_provider_find_material(struct yw_dbc *c, const char *holder, const char *license_type,
                          const char *ref, json_t **evidence)
{
    *evidence = NULL;
    for (int i = 0; i < nmaterials; i++) {
        json_t *ev = NULL;
        int rc = materials[i].fn(c, holder, license_type, &ev, materials[i].ctx);
        if (rc == YW_ENOTFOUND)
            continue;
        if (rc) /* a failed read is not "no such document" */
            return rc;
        const char *got = json_string_value(json_object_get(ev, "ref"));
        if (ref == NULL || !strcmp(got ? got : "", ref)) {
            *evidence = ev;
            return 0;
        }
        json_decref(ev); /* a document, but not the one named */
    }
    return YW_ENOTFOUND;
}

int
yw_provider_prefill(struct yw_dbc *c, const char *holder, const char *source, json_t **value)
{
    *value = NULL;
    for (int i = 0; i < nprefills; i++) {
        json_t *v = NULL;
        int rc = prefills[i].fn(c, holder, source, &v, prefills[i].ctx);
        if (rc == YW_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        if ((json_is_string(v) && json_string_length(v) > 0) || json_is_number(v)) {
            *value = v;
            return 0;
        }
        json_decref(v); /* nothing usable: as if it did not know */
    }
    return YW_ENOTFOUND;
}

int
yw_provider_file_access(struct yw_dbc *c, const char *file_id, const struct yw_principal *who,
                        const char **granted_by)
{
    if (granted_by)
        *granted_by = NULL;
    for (int i = 0; i < nfile_access; i++) {
        int rc = file_access[i].fn(c, file_id, who, file_access[i].ctx);
        if (rc == YW_ENOTFOUND)
            continue;
        if (rc) /* a failed read denies, and says why */
            return rc;
        if (granted_by)
            *granted_by = file_access[i].name;
        return 0;
    }
    return YW_ENOTFOUND;
}

void
yw_provider_add_hold(const char *name, yw_hold_provider_fn fn, void *ctx)
{
    if (nholds == MAX_PROVIDERS) {
        yw_log_error("core", "too many hold providers: '%s' is not registered", name);
        return;
    }
    holds[nholds].name = name;
    holds[nholds].fn = fn;
    holds[nholds].ctx = ctx;
    nholds++;
}

int
yw_provider_hold(struct yw_dbc *c, const char *point, json_t *kase, json_t **hold,
                 struct yw_err *err)
{
    *hold = NULL;
    for (int i = 0; i < nholds; i++) {
        int rc = holds[i].fn(c, point, kase, hold, err, holds[i].ctx);
        if (rc == YW_ENOTFOUND)
            continue;
        if (rc) /* cannot tell: never "nothing to wait for" */
            return rc;
        if (json_is_object(*hold))
            return 0;
        json_decref(*hold);
        *hold = NULL;
    }
    return YW_ENOTFOUND;
}

void
yw_provider_add_sms(const char *name, yw_sms_provider_fn fn, void *ctx)
{
    if (nsms == MAX_PROVIDERS) {
        yw_log_error("core", "too many SMS providers: '%s' is not registered", name);
        return;
    }
    sms[nsms].name = name;
    sms[nsms].fn = fn;
    sms[nsms].ctx = ctx;
    nsms++;
}

int
yw_provider_send_sms(struct yw_dbc *c, int64_t account_id, const char *phone, const char *key,
                     const char *text_zh, const char *text_en)
{
    if (nsms == 0)
        return YW_EUNAVAIL;
    return sms[0].fn(c, account_id, phone, key, text_zh, text_en, sms[0].ctx);
}

void
yw_provider_add_approval_ahead(const char *name, yw_approval_ahead_fn fn, void *ctx)
{
    if (naheads == MAX_PROVIDERS) {
        yw_log_error("core", "too many approval-ahead providers: '%s' is not registered", name);
        return;
    }
    aheads[naheads].name = name;
    aheads[naheads].fn = fn;
    aheads[naheads].ctx = ctx;
    naheads++;
}

void
yw_provider_approval_ahead(struct yw_dbc *c, json_t *kase)
{
    for (int i = 0; i < naheads; i++)
        aheads[i].fn(c, kase, aheads[i].ctx);
}
