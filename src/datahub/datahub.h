/*
 * datahub.h - the data hub (大数据中心): the district's data resources,
 * shared between departments by purpose, with every read of a person's or a
 * company's data written to their ledger (用数记录) before it is answered.
 *
 * A data resource belongs to one department and lists its data items
 * (fields).  Records are imported by subject (ID number or credit code) and
 * record key; departments read them through grants per department and per
 * field, always with a stated purpose; the subject sees every read, disputes
 * an entry, and reports a wrong value (数据纠错).  The hub is a prefill
 * provider for cases: a form field whose prefill source is `RESOURCE.field`
 * is answered from the hub (core/provider.h).
 *
 * Tables datahub owns: dh_resources, dh_resource_versions, dh_batches,
 * dh_records, dh_grants, dh_ledger, dh_disputes, dh_corrections.
 * Department names come from catalog.h; items (for prefill) too.
 */
#ifndef YW_DATAHUB_DATAHUB_H
#define YW_DATAHUB_DATAHUB_H

#include "http/http.h"

extern const struct yw_module yw_datahub_module;

/* The department that runs the hub for the district: its data officers may
 * act for any department's resources (publish, approve grants, answer
 * corrections). */
#define YW_DH_HUB_DEPT "XH-DSJ"

#endif
