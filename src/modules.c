/*
 * modules.c - every module of ywtb, in start-up order.  Adding a module is
 * adding its descriptor here; main never names a module: it learns the
 * routes, the commands and the settings from these descriptors.
 */
#include "modules.h"

// clang-format off
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "files/files.h"
#include "identity/identity.h"
#include "licenses/licenses.h"
#include "ops/ops.h"
#include "seed/seed.h"
/* ---- datahub ---- */
#include "datahub/datahub.h"
/* ---- supervision ---- */
#include "supervision/supervision.h"
/* ---- services ---- */
#include "services/services.h"
/* ---- hotline ---- */
#include "hotline/hotline.h"
/* ---- payments ---- */
#include "payments/payments.h"
/* ---- selfservice ---- */
#include "selfservice/selfservice.h"

const struct yw_module *const yw_modules[] = {
    &yw_ops_module,
    &yw_identity_module,
    &yw_catalog_module,
    &yw_files_module,
    &yw_cases_module,
    &yw_licenses_module,
    /* ---- datahub ---- */
    &yw_datahub_module,
    /* ---- supervision ---- */
    &yw_supervision_module,
    /* ---- services ---- */
    &yw_services_module,
    /* ---- hotline ---- */
    &yw_hotline_module,
    /* ---- payments ---- */
    &yw_payments_module,
    /* ---- selfservice ---- */
    &yw_selfservice_module,
    &yw_seed_module,
};
// clang-format on
const size_t yw_nmodules = sizeof yw_modules / sizeof yw_modules[0];
