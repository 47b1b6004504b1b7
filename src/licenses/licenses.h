/*
 * licenses.h - the electronic license library (电子证照库).
 *
 * Departments issue licenses - automatically when a case whose item produces
 * one is approved (event case.approved), directly through the API for licenses
 * issued before ywtb, and in bulk from CSV/NDJSON.  Each license has a GB/T
 * 36904 identifier and a document: canonical JSON of its fields and metadata,
 * signed with the issuing department's SM2 key (SM3 digest).  Holders reuse
 * licenses instead of paper: this module is a material provider for cases, and
 * every use is logged where the holder reads it.
 *
 * Tables licenses owns: signing_keys, licenses, license_serials, license_uses,
 * license_grants.
 * Department and license-type names come from catalog.h (src/licenses/names.c).
 */
#ifndef YW_LICENSES_LICENSES_H
#define YW_LICENSES_LICENSES_H

#include "core/mem.h"
#include "db/db.h"
#include "http/http.h"

#include <jansson.h>
#include <stdint.h>

extern const struct yw_module yw_licenses_module;

/* ---- GB/T 36904 identifiers (ident.c) ---- */

#define YW_LIC_ROOT "1.2.156.3005.2"

/* ISO/IEC 7064 MOD 37,36 check character over s (0-9A-Z), or 0 when s has
 * another character. */
char yw_lic_check_char(const char *s, size_t n);
/* Build "1.2.156.3005.2.<type>.<issuer>.<serial>.<version:3>.<check>" into out. */
int yw_lic_make_id(const char *type_code, const char *issuer_uscc, const char *serial, int version, char *out,
                   size_t n);
/* Check an identifier's structure and check character. */
int yw_lic_check_id(const char *id, struct yw_err *err);

/* ---- verification (verify.c) ---- */

struct yw_lic_verdict {
    bool valid;              /* signature good, key known, dates cover today, not revoked/suspended */
    char reason[200];        /* why not, for people */
    char code[40];           /* machine code: ok, bad_signature, unknown_key, wrong_issuer, expired,
                                not_yet_valid, revoked, suspended, malformed, bad_identifier */
    char status[16];         /* valid | suspended | revoked | unknown (offline without a status list) */
};

/* Verify a license document (the JSON from GET /licenses/{id}/document)
 * against public keys given as a JSON object {key_id: {dept, public_pem, ...}}
 * (the shape of GET /api/v1/keys) and, when given, a status list
 * {revoked: [{id, status, reason}]}; today as a day number.  Pure: no database. */
int yw_lic_verify_offline(json_t *document, json_t *keys, json_t *status_list, int64_t today,
                          struct yw_lic_verdict *v);

/* Canonical bytes that a license's signature covers: the "license" object
 * with keys sorted, compact, UTF-8.  Appended to out. */
int yw_lic_canonical(json_t *license, struct yw_buf *out);

/* ---- bulk import (import.c) ---- */

/* Import licenses from a CSV or NDJSON file (by extension or first byte): all
 * rows or none.  Each bad row is reported on `report` with its line number. */
int yw_lic_import(struct yw_app *app, const char *path, FILE *report, int64_t *imported, struct yw_err *err);

#endif
