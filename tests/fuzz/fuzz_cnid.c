/*
 * fuzz_cnid.c - libFuzzer harness for ID numbers, credit codes, mobile numbers
 * and their masks (src/core/cnid.c).  The input is tried as each of them.
 *
 * What is accepted must agree with itself: an accepted ID number is 18
 * characters, the input up to the case of 'x', with its own check character,
 * the sex of its sequence digit, the birth date and region it carries; an
 * accepted credit code carries its own check character and a valid embedded
 * organization code; a mobile number is 11 digits starting 1[3-9]; masks are
 * terminated, of their length, and hide the middle.
 */
#include "core/cnid.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const char *s)
{
    fprintf(stderr, "cnid: %s: '%s'\n", what, s);
    abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* exactly the input, in its own allocation (the checks take s and n) */
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = '\0';

    struct yw_cnid_person p;
    struct yw_err err = { 0 };
    /* the input as the checks fold it (full-width, spaces, case: issue 16 item 9) */
    char norm[64], norm_uscc[64];
    size_t nn = yw_cnid_normalize(s, size, 0, norm, sizeof norm);
    size_t nu = yw_cnid_normalize(s, size, YW_CNID_NO_HYPHENS, norm_uscc, sizeof norm_uscc);
    if (yw_cnid_check_id(s, size, &p, &err) == 0) {
        if (nn != 18 || strlen(p.id) != 18 || strncasecmp(p.id, norm, 18) != 0)
            fail("an accepted ID number is not the folded input", s);
        if (yw_cnid_id_check_char(p.id) != p.id[17])
            fail("an accepted ID number has another check character", p.id);
        if (p.sex != (((p.id[16] - '0') % 2) ? 'M' : 'F'))
            fail("the sex is not the sequence digit's", p.id);
        char birth[11];
        snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", p.id + 6, p.id + 10, p.id + 12);
        if (strcmp(birth, p.birth) != 0 || strncmp(p.region, p.id, 6) != 0 || strlen(p.region) != 6)
            fail("the birth date or region is not the number's", p.id);
    } else if (err.msg[0] == '\0' || strcmp(err.field, "id_number") != 0) {
        fail("an ID number refused without a message or field", s);
    }

    struct yw_cnid_org o;
    memset(&err, 0, sizeof err);
    if (yw_cnid_check_uscc(s, size, &o, &err) == 0) {
        if (nu != 18 || strlen(o.code) != 18 || strncasecmp(o.code, norm_uscc, 18) != 0)
            fail("an accepted credit code is not the folded input", s);
        if (yw_cnid_uscc_check_char(o.code) != o.code[17])
            fail("an accepted credit code has another check character", o.code);
        if (strncmp(o.org_code, o.code + 8, 9) != 0 ||
            yw_cnid_org_check_char(o.org_code) != o.org_code[8])
            fail("the embedded organization code does not check", o.code);
        if (o.authority == NULL || o.category == NULL || strncmp(o.region, o.code + 2, 6) != 0)
            fail("the authority, category or region is missing", o.code);
    } else if (err.msg[0] == '\0' || strcmp(err.field, "uscc") != 0) {
        fail("a credit code refused without a message or field", s);
    }

    if (yw_cnid_mobile_ok(s)) {
        if (strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
            fail("an accepted mobile number is not 1[3-9] and 11 digits", s);
        for (int i = 0; i < 11; i++)
            if (!isdigit((unsigned char)s[i]))
                fail("an accepted mobile number has a non-digit", s);
    }

    /* the check-character helpers take any 17 (or 8) characters */
    if (size >= 17) {
        char c = yw_cnid_id_check_char(s);
        if (c && !strchr("0123456789X", c))
            fail("an ID check character out of its alphabet", s);
        c = yw_cnid_uscc_check_char(s);
        if (c && !strchr("0123456789ABCDEFGHJKLMNPQRTUWXY", c))
            fail("a credit-code check character out of its alphabet", s);
    }
    if (size >= 8) {
        char c = yw_cnid_org_check_char(s);
        if (c && !strchr("0123456789X", c))
            fail("an organization-code check character out of its alphabet", s);
    }

    char mid[19], mph[YW_CNID_PHONE_MASK];
    memset(mid, 0x55, sizeof mid);
    memset(mph, 0x55, sizeof mph);
    yw_cnid_mask_id(s, mid);
    if (strlen(mid) != 18 || strspn(mid + 4, "*") < 10)
        fail("an ID mask that is not 18 characters hiding the middle", mid);
    yw_cnid_mask_phone(s, mph);
    if (memchr(mph, 0, sizeof mph) == NULL || strchr(mph, '*') == NULL)
        fail("a phone mask that is not terminated or hides nothing", s);
    free(s);
    return 0;
}
