/*
 * clock.h - the server's clock, which tests can set.
 *
 * All times are UTC milliseconds since the epoch and stored as ISO-8601 text
 * ("2026-09-24T02:00:00.000Z", which sorts as text on both engines).  In normal
 * operation the clock is the system clock.  `ywtb serve --clock INSTANT` starts it
 * at INSTANT and lets it run on; yw_clock_advance() moves it forward (the test-only
 * API calls it), so deadline tests never wait.  The offset is one atomic value:
 * reading the clock takes no lock.
 */
#ifndef YW_CORE_CLOCK_H
#define YW_CORE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

/* Current time by the (possibly shifted) server clock, ms since the epoch, UTC. */
int64_t yw_clock_now_ms(void);
/* The system's real time, unaffected by --clock. */
int64_t yw_clock_real_ms(void);
/* Monotonic time in nanoseconds, for durations. */
int64_t yw_clock_mono_ns(void);

/* Start the clock at `instant_ms` (marks it as set for tests). */
void yw_clock_set(int64_t instant_ms);
/* Move the clock forward by `ms` (>= 0).  Only meaningful when set. */
void yw_clock_advance(int64_t ms);
bool yw_clock_is_set(void);
/* The set clock's distance from the system clock, and setting it (the nodes of
 * one test deployment share it through the database, src/ops/ops.c). */
int64_t yw_clock_offset(void);
void yw_clock_set_offset(int64_t offset_ms);

/* Parse an ISO-8601 instant with offset ("2026-09-24T10:00:00+08:00", "...Z",
 * fraction optional).  Returns 0 or YW_EINVAL. */
int yw_clock_parse(const char *s, int64_t *out_ms);
/* Format ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf (at least 25 bytes). */
void yw_clock_format(int64_t ms, char buf[32]);
/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int64_t yw_days_from_civil(int y, int m, int d);
void yw_civil_from_days(int64_t z, int *y, int *m, int *d);

#endif
