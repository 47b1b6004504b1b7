/*
 * roles.h - the roles of ywtb users, as bits.
 *
 * Route tables (every module's routes.c) declare which roles may call a route;
 * the router enforces it before the handler runs.  Identity stores roles by
 * name and converts with yw_role_parse/yw_role_name.  Citizens and companies
 * carry the implicit roles PERSON and ENTERPRISE from their account kind.
 */
#ifndef YW_CORE_ROLES_H
#define YW_CORE_ROLES_H

#include <stddef.h>
#include <stdint.h>

// clang-format off
#define YW_ROLES(X)                                \
    X(PERSON, 0, "person")                         \
    X(ENTERPRISE, 1, "enterprise")                 \
    X(WINDOW_CLERK, 2, "window_clerk")             \
    X(REVIEWER, 3, "reviewer")                     \
    X(CHIEF_APPROVER, 4, "chief_approver")         \
    X(SUPERVISOR, 5, "supervisor")                 \
    X(DATA_OFFICER, 6, "data_officer")             \
    X(HOTLINE_OPERATOR, 7, "hotline_operator")     \
    X(ADMIN, 8, "admin")                           \
    X(GRID_WORKER, 9, "grid_worker")               \
    X(FINANCE, 10, "finance")                      \
    X(DEPT_SYSTEM, 11, "dept_system")
// clang-format on

enum yw_role {
#define YW_ROLE_ENUM(name, bit, str) YW_ROLE_##name = 1u << (bit),
    YW_ROLES(YW_ROLE_ENUM)
#undef YW_ROLE_ENUM
};

/* The highest role bit (loops over every role). */
#define YW_ROLE_LAST YW_ROLE_DEPT_SYSTEM

/* Any applicant (person or company). */
#define YW_ROLE_APPLICANT (YW_ROLE_PERSON | YW_ROLE_ENTERPRISE)
/* Every staff role (a person working for the district). */
#define YW_ROLE_STAFF                                                                              \
    (YW_ROLE_WINDOW_CLERK | YW_ROLE_REVIEWER | YW_ROLE_CHIEF_APPROVER | YW_ROLE_SUPERVISOR |       \
     YW_ROLE_DATA_OFFICER | YW_ROLE_HOTLINE_OPERATOR | YW_ROLE_ADMIN | YW_ROLE_GRID_WORKER |       \
     YW_ROLE_FINANCE)
/* DEPT_SYSTEM is not a person: a department system calling with a registered
 * client's credentials (identity's client registry, shared by the OpenID
 * Connect provider and the data hub).  Its principal has kind "system", the
 * client's department and account_id 0; it is never part of YW_ROLE_STAFF. */

/* Bit of a role name ("window_clerk"), 0 when unknown. */
uint32_t yw_role_parse(const char *name, size_t n);
/* Name of a single role bit, NULL when not exactly one known bit. */
const char *yw_role_name(uint32_t bit);
/* Parse "a,b,c" into *out; returns 0 or -1 naming the first unknown role in bad. */
int yw_roles_parse_list(const char *list, uint32_t *out, char bad[64]);

#endif
