/*
 * seed.h - demo data (`ywtb seed --demo`): what a newcomer logs in with after
 * `make run`.  Idempotent: running it again adds nothing and prints the same
 * logins.
 */
#ifndef YW_SEED_SEED_H
#define YW_SEED_SEED_H

#include "http/http.h"

#include <stdio.h>

/* Create the demo accounts that do not exist yet and print every demo login
 * to `out`.  Returns 0 or an error with err filled. */
int yw_seed_demo(struct yw_app *app, FILE *out, struct yw_err *err);

/* `ywtb seed --scale xuhui|small [--cases N]`: generated citizens, companies
 * and cases in every state (see scale.c).  Needs the catalog. */
int yw_seed_scale(struct yw_app *app, const char *scale, int64_t cases, FILE *out, struct yw_err *err);

#endif
