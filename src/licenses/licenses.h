/*
 * licenses.h - the electronic license library (电子证照库).
 *
 * Departments issue licenses - automatically when a case whose item produces
 * one is approved (event case.approved), directly through the API for licenses
 * issued before ywtb, and in bulk from CSV/NDJSON.  Each license has a GB/T
 * 36904 identifier and a document: its fields and metadata, signed in their
 * RFC 8785 canonical form (core/jcs.h) with the issuing department's SM2 key
 * (SM3 digest); docs/LICENSES.md is the format for other verifiers.  Holders reuse
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
int yw_lic_make_id(const char *type_code, const char *issuer_uscc, const char *serial, int version,
                   char *out, size_t n);
/* Check an identifier's structure and check character. */
int yw_lic_check_id(const char *id, struct yw_err *err);

/* ---- verification (verify.c) ---- */

struct yw_lic_verdict {
    bool valid;       /* signature good, key known, dates cover today, not revoked/suspended */
    char reason[200]; /* why not, for people */
    char code[40];    /* machine code: ok, bad_signature, unknown_key, wrong_issuer, expired,
                                not_yet_valid, revoked, suspended, malformed, bad_identifier */
    char status[16];  /* valid | suspended | revoked | unknown (offline without a status list) */
};

/* Verify a license document (the JSON from GET /licenses/{id}/document)
 * against public keys given as a JSON object {key_id: {dept, public_pem, ...}}
 * (the shape of GET /api/v1/keys) and, when given, a status list
 * {revoked: [{id, status, reason}]}; today as a day number.  Pure: no database. */
int yw_lic_verify_offline(json_t *document, json_t *keys, json_t *status_list, int64_t today,
                          struct yw_lic_verdict *v);

/* The signature parameters ywtb signs with and accepts: a signature object
 * carries alg, distid and (since RFC 8785) canon; verification refuses any
 * other alg or distid (bad_signature). */
#define YW_LIC_ALG       "SM2-SM3"
#define YW_LIC_CANON_JCS "jcs"

/* Canonical bytes that a signature covers, appended to out: the RFC 8785 form
 * of obj (yw_jcs, core/jcs.h), what ywtb signs (signature.canon "jcs").
 * YW_EINVAL when obj holds what that form refuses here (a number that is not
 * an integer within 2^53). */
int yw_lic_canonical(json_t *obj, struct yw_buf *out);
/* The form of documents signed before RFC 8785 (a signature without canon):
 * jansson's JSON_SORT_KEYS | JSON_COMPACT - members sorted by UTF-8 bytes,
 * control characters as \u00XX in upper-case hex.  Verification only. */
int yw_lic_canonical_v1(json_t *obj, struct yw_buf *out);

/* ---- signing keys (keys.c) ---- */

/* ---- bulk import (import.c) ---- */

/* Import licenses from a CSV or NDJSON file (by extension or first byte): all
 * rows or none.  Each bad row is reported on `report` with its line number. */
int yw_lic_import(struct yw_app *app, const char *path, FILE *report, int64_t *imported,
                  struct yw_err *err);

#endif
