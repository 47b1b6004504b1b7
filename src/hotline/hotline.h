/*
 * hotline.h - the 12345 citizen hotline (市民服务热线): work orders (工单)
 * taken by phone, online or through Open311 GeoReport v2, dispatched to the
 * department responsible and run round the Shanghai loop
 * 受理 → 派单 → 签收 → 答复 → 办结 → 回访 → 评价 on a working-day clock
 * (CN-STANDARDS.md §6.1; docs/ARCHITECTURE.md "Hotline"); and the urban
 * grid (网格化管理, GB/T 30428): unit grids and the events grid workers find.
 *
 * Tables hotline owns: hotline_orders, hotline_steps, hotline_knowledge, hotline_grids,
 * hotline_events, hotline_event_steps, hotline_grid_stamp.
 *
 * Other modules learn of orders through the events it publishes
 * (core/events.h: hotline.order_created, hotline.order_dispatched,
 * hotline.order_answered, hotline.order_closed, hotline.order_rated) and may
 * read an order's status through the reader below.
 */
#ifndef YW_HOTLINE_HOTLINE_H
#define YW_HOTLINE_HOTLINE_H

#include "http/http.h"

/* The module descriptor (src/modules.c). */
extern const struct yw_module yw_hotline_module;

/* The status of order `order_no` copied into arena a ("received",
 * "dispatched", "signed", "returned", "answered", "closed", "visited",
 * "rated").  0, YW_ENOTFOUND, or the read's error. */
int yw_hotline_order_status(struct yw_dbc *c, struct yw_arena *a, const char *order_no,
                            const char **status);

#endif
