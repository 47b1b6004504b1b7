/*
 * modules.h - the ordered list of ywtb's modules (modules.c).
 */
#ifndef YW_MODULES_H
#define YW_MODULES_H

#include "http/http.h"

extern const struct yw_module *const yw_modules[];
extern const size_t yw_nmodules;

#endif
