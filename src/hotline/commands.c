/*
 * commands.c - the hotline's `ywtb` commands:
 *
 *   ywtb import grids FILE --db URL
 *       loads unit grids (单元网格) from a GeoJSON FeatureCollection of
 *       Polygons with properties code, street, community, name; a grid whose
 *       code exists is replaced.  All features or none.
 */
#include "hotline/internal.h"

#include "core/clock.h"

#include <stdio.h>

static int
import_grids(struct yw_cli *cli)
{
    int rc = yw_cli_open(cli, true);
    if (rc)
        return rc;
    struct yw_err err = { 0 };
    int64_t n = 0;
    rc = yw_hotline__import_grids(cli->app, cli->args[0], &n, &err);
    if (rc) {
        fprintf(stderr, "ywtb: import grids: %s%s%s\n", err.msg[0] ? err.msg : yw_strerror(rc),
                err.field[0] ? " - " : "", err.field);
        return 1;
    }
    printf("imported %lld unit grids\n", (long long)n);
    return 0;
}

const struct yw_command yw_hotline_commands[] = {
    {
        .name = "import grids",
        .summary = "load unit grids (GB/T 30428.1) from GeoJSON, all or none",
        .usage = "FILE --db URL",
        .help =
            "Loads a GeoJSON FeatureCollection of Polygons ([lng, lat] positions, WGS84) whose\n"
            "properties give code (hotline_grid_code_length digits starting 310104), street,\n"
            "community and name.  A grid whose code exists is replaced.  All features or none:\n"
            "the first bad one is named with its index.  Points reported afterwards are placed\n"
            "in these grids.\n",
        .min_args = 1,
        .max_args = 1,
        .run = import_grids,
    },
    { NULL },
};
