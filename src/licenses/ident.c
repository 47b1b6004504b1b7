/*
 * ident.c - GB/T 36904 e-license identifiers.
 *
 *   1.2.156.3005.2 . <证照类型代码 21> . <颁发机构代码 18> . <流水号> . <版本号 3> . <校验位>
 *
 * The check character is ISO/IEC 7064 MOD 37,36 (hybrid system, alphabet
 * 0-9A-Z, values 0..35) computed over type code + issuer code + serial +
 * version with the dots removed and the root left out (CN-STANDARDS.md §4.1).
 * Serials here are the issue year and a 6-digit counter per department
 * (2026000001), as observed in provincial identifiers.
 */
#include "licenses/licenses.h"

#include "core/cnid.h"

#include <stdio.h>
#include <string.h>

static int
val36(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return -1;
}

char
yw_lic_check_char(const char *s, size_t n)
{
    /* ISO/IEC 7064 hybrid MOD 37,36: P = M; for each a: S = (P + a) mod M,
     * S = M when 0; P = 2S mod (M+1); check = (M + 1 - P) mod M. */
    const int M = 36;
    int p = M;
    for (size_t i = 0; i < n; i++) {
        int a = val36(s[i]);
        if (a < 0)
            return 0;
        int sum = (p + a) % M;
        if (sum == 0)
            sum = M;
        p = (2 * sum) % (M + 1);
    }
    int c = (M + 1 - p) % M;
    return (char)(c < 10 ? '0' + c : 'A' + c - 10);
}

int
yw_lic_make_id(const char *type_code, const char *issuer, const char *serial, int version,
               char *out, size_t n)
{
    char body[160];
    int bl = snprintf(body, sizeof body, "%s%s%s%03d", type_code, issuer, serial, version);
    if (bl < 0 || (size_t)bl >= sizeof body)
        return YW_EINVAL;
    char check = yw_lic_check_char(body, (size_t)bl);
    if (check == 0)
        return YW_EINVAL;
    int w = snprintf(out, n, "%s.%s.%s.%s.%03d.%c", YW_LIC_ROOT, type_code, issuer, serial, version,
                     check);
    return (w < 0 || (size_t)w >= n) ? YW_EINVAL : 0;
}

int
yw_lic_check_id(const char *id, struct yw_err *err)
{
    size_t rl = strlen(YW_LIC_ROOT);
    if (id == NULL || strncmp(id, YW_LIC_ROOT ".", rl + 1) != 0)
        return yw_fail(err, YW_EFIELD, "id", "an e-license identifier starts with %s (GB/T 36904)",
                       YW_LIC_ROOT);
    char parts[5][64];
    const char *p = id + rl + 1;
    for (int i = 0; i < 5; i++) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if ((i < 4 && dot == NULL) || (i == 4 && dot) || len == 0 || len >= sizeof parts[i])
            return yw_fail(err, YW_EFIELD, "id",
                           "an e-license identifier has five parts after the root");
        memcpy(parts[i], p, len);
        parts[i][len] = '\0';
        p = dot ? dot + 1 : p + len;
    }
    if (strlen(parts[0]) != 21 || strlen(parts[1]) != 18 || strlen(parts[3]) != 3 ||
        strlen(parts[4]) != 1)
        return yw_fail(err, YW_EFIELD, "id",
                       "the identifier's type code (21), issuer code (18), version (3) or check "
                       "character has the wrong length");
    char body[160];
    int bl = snprintf(body, sizeof body, "%s%s%s%s", parts[0], parts[1], parts[2], parts[3]);
    char want = yw_lic_check_char(body, (size_t)bl);
    if (want == 0 || want != parts[4][0])
        return yw_fail(err, YW_EFIELD, "id",
                       "the identifier's check character does not match (ISO/IEC 7064 MOD 37,36)");
    return 0;
}
