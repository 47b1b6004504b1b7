/*
 * commands.c - the seed module's descriptor and its command, `ywtb seed`:
 * the catalog (data/catalog), the demo accounts, or a district's worth of
 * generated accounts and cases.  The module has no routes, no settings and
 * nothing to start; it is listed in src/modules.c for its command.
 */
#include "seed/seed.h"

#include "catalog/catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int
seed(struct yw_cli *cli)
{
    bool demo = yw_cli_flag(cli, "demo"), catalog = yw_cli_flag(cli, "catalog");
    const char *scale = yw_cli_opt(cli, "scale"), *cases = yw_cli_opt(cli, "cases");
    if (!demo && !catalog && !scale) {
        fprintf(stderr, "ywtb: seed needs --demo, --catalog or --scale xuhui\n");
        return 2;
    }
    if (catalog && !demo) {
        /* nothing to load is a failure, not a quiet success (issue 21) */
        char probe[4096];
        snprintf(probe, sizeof probe, "%s/catalog/departments.json", cli->cfg->data_dir);
        if (access(probe, R_OK) != 0) {
            fprintf(stderr, "ywtb: seed --catalog: no catalog at %s/catalog (set data_dir)\n",
                    cli->cfg->data_dir);
            return 1;
        }
    }
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    struct yw_err err = { 0 };
    if (demo)
        rc = yw_seed_demo(cli->app, stdout, &err); /* the catalog included */
    else if (catalog)
        rc = yw_catalog_seed(cli->app, cli->cfg->data_dir, stdout, &err);
    /* every other module's demo data, in module order */
    for (size_t m = 0; rc == 0 && demo && m < cli->app->nmodules; m++)
        if (cli->app->modules[m]->seed)
            rc = cli->app->modules[m]->seed(cli->app, "demo", stdout, &err);
    if (rc == 0 && scale)
        rc = yw_seed_scale(cli->app, scale, cases ? atoll(cases) : 0, stdout, &err);
    for (size_t m = 0; rc == 0 && scale && m < cli->app->nmodules; m++)
        if (cli->app->modules[m]->seed)
            rc = cli->app->modules[m]->seed(cli->app, scale, stdout, &err);
    if (rc) {
        fprintf(stderr, "ywtb: seed: %s\n", err.msg[0] ? err.msg : yw_strerror(rc));
        return 1;
    }
    return 0;
}

static const struct yw_option seed_options[] = {
    { "demo", NULL, "the catalog and the demo accounts, whose logins it prints (idempotent)" },
    { "catalog", NULL, "the catalog only (production)" },
    { "scale", "xuhui|small", "generated citizens, companies and cases for load tests" },
    { "cases", "N", "with --scale: this many cases instead of the scale's number" },
    { NULL },
};

static const struct yw_command seed_commands[] = {
    {
        .name = "seed",
        .summary = "load the catalog, the demo accounts (--demo) or generated data (--scale)",
        .usage = "--demo --db URL\n--catalog --db URL\n--scale xuhui|small [--cases N] --db URL",
        .help =
            "--demo loads the catalog (data/catalog) and the demo accounts (idempotent) and prints\n"
            "their logins.  --catalog loads the catalog only (production): into an empty database\n"
            "all of it; over a loaded one it refreshes departments and e-license types from the files\n"
            "(new ones added; names, contacts and field labels updated; a type whose field keys\n"
            "changed is kept and reported).  --scale adds a district's worth of generated citizens,\n"
            "companies and cases for load tests (xuhui: 100,000 / 43,000 / 1,000,000; small: 2,000 /\n"
            "1,000 / 20,000).  --cases N spreads N cases over a year per million (at most ten): the\n"
            "last year as at one million, the years before it finished (--cases 10000000: ten years\n"
            "of Xuhui).  Rows go in through bulk copies (COPY on PostgreSQL).\n",
        .options = seed_options,
        .run = seed,
    },
    { NULL },
};

const struct yw_module yw_seed_module = {
    .name = "seed",
    .commands = seed_commands,
};
