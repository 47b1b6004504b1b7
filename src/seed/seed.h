/*
 * seed.h - demo data (`ywtb seed --demo`): what a newcomer logs in with after
 * `make run`.  Idempotent: running it again adds nothing and prints the same
 * logins.  Also the catalog alone (`--catalog`) and generated load-test data
 * (`--scale`).
 */
#ifndef YW_SEED_SEED_H
#define YW_SEED_SEED_H

#include "http/http.h"

#include <stdio.h>

/* The module: no routes, the `ywtb seed` command (commands.c). */
extern const struct yw_module yw_seed_module;

/* Create the demo accounts that do not exist yet and print every demo login
 * to `out`.  Returns 0 or an error with err filled. */
int yw_seed_demo(struct yw_app *app, FILE *out, struct yw_err *err);

/* `ywtb seed --scale xuhui|small [--cases N]`: generated citizens, companies
 * and cases in every state (see scale.c).  Needs the catalog. */
int yw_seed_scale(struct yw_app *app, const char *scale, int64_t cases, FILE *out,
                  struct yw_err *err);

/* Identifiers of generated accounts (ids.c), pure functions of the index, so a
 * run is reproducible and two accounts never share a number.
 *
 * yw_seed_person_id writes the valid GB 11643-1999 number of generated citizen
 * `index` (region 310104, born 1950-2005, sequence code 500-999) to out, NUL-
 * terminated.  Distinct indexes in [0, yw_seed_person_capacity()) give distinct
 * numbers.  Returns 0, or YW_EINVAL (out untouched) outside that range.
 *
 * yw_seed_company_code does the same for generated company `index`: a valid
 * GB 32100-2015 code 91310104MA + 6 digits + checks, distinct for indexes in
 * [0, yw_seed_company_capacity()). */
int yw_seed_person_id(int64_t index, char out[19]);
int yw_seed_company_code(int64_t index, char out[19]);
int64_t yw_seed_person_capacity(void);
int64_t yw_seed_company_capacity(void);

#endif
