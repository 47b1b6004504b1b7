/*
 * roles.c - role names <-> bits (see roles.h).
 */
#include "core/roles.h"

#include <stdio.h>
#include <string.h>

uint32_t
yw_role_parse(const char *name, size_t n)
{
#define YW_ROLE_CMP(rname, bit, str)                                                               \
    if (n == sizeof(str) - 1 && memcmp(name, str, n) == 0)                                         \
        return YW_ROLE_##rname;
    YW_ROLES(YW_ROLE_CMP)
#undef YW_ROLE_CMP
    return 0;
}

const char *
yw_role_name(uint32_t bit)
{
    switch (bit) {
#define YW_ROLE_STR(rname, b, str)                                                                 \
    case YW_ROLE_##rname:                                                                          \
        return str;
        YW_ROLES(YW_ROLE_STR)
#undef YW_ROLE_STR
    }
    return NULL;
}

int
yw_roles_parse_list(const char *list, uint32_t *out, char bad[64])
{
    *out = 0;
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && p[0] == ' ')
            p++, n--;
        while (n && p[n - 1] == ' ')
            n--;
        if (n) {
            uint32_t bit = yw_role_parse(p, n);
            if (bit == 0) {
                snprintf(bad, 64, "%.*s", (int)(n < 60 ? n : 60), p);
                return -1;
            }
            *out |= bit;
        }
        if (e == NULL)
            break;
        p = e + 1;
    }
    return 0;
}
