/*
 * calendar.h - the working-day calendar: official holidays (法定节假日) and
 * make-up working days (调休上班) of the People's Republic of China, for
 * administrative time limits (法定时限 / 承诺时限) counted in working days.
 *
 * The calendar is data, not rules (CN-STANDARDS.md §7.4): one JSON file per year
 * in a directory (data/calendar/YYYY.json, format in data/calendar/README.md),
 * copied each November from the State Council notice (国务院办公厅关于YYYY年部分
 * 节假日安排的通知).  A day is a working day when the year's file lists it as a
 * make-up working day, or it is Monday-Friday and not listed as a holiday.
 *
 * Days are int64 day numbers since 1970-01-01 of the civil calendar in China
 * (Asia/Shanghai, UTC+8 all year, no daylight saving time since 1991), the same
 * numbering as yw_days_from_civil() in core/clock.h.  Inside the calendar there
 * is therefore no time zone; yw_cal_day_of_ms() and yw_cal_end_of_day_ms() are
 * the only bridges to the UTC millisecond instants used everywhere else.
 *
 * Years not loaded: every query still answers, falling back to Monday-Friday
 * as working days and no holidays.  That is wrong around holidays, so callers
 * that must be exact (a deadline shown to an applicant) use
 * yw_cal_add_workdays_checked(), which refuses instead of guessing, and an
 * operator loads the year each November (`ywtb calendar import`).
 *
 * A loaded calendar is immutable: all functions taking a const calendar are
 * safe to call from many threads at once.  Lookups are O(1) per day.
 */
#ifndef YW_CORE_CALENDAR_H
#define YW_CORE_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct yw_calendar;

/* Load every file named YYYY.json (exactly four digits) in `dir`; other files
 * (README.md) are ignored.  Each file is validated in full: the keys are known,
 * "year" matches the file name, every date is a real "YYYY-MM-DD" in that year,
 * a holiday block lists consecutive days in order, no day is listed twice, no day
 * is both a holiday and a working day, and every make-up working day is a
 * Saturday or Sunday.
 * Returns 0 and a new calendar in *out (free it with yw_cal_free), or:
 *   YW_EIO      `dir` cannot be read, or a file cannot be opened;
 *   YW_ECONFIG  a file is not valid (err->msg names the file and the entry,
 *               err->field the JSON path such as "holidays[1].days[3]"), or the
 *               directory holds no YYYY.json at all.
 * On error *out is NULL and nothing is leaked. */
int yw_cal_load(const char *dir, struct yw_calendar **out, struct yw_err *err);
/* Load one year's file at any path (an operator's import, `ywtb calendar
 * import`), validated as yw_cal_load validates each file; the year is the
 * file's "year" (1949-9999).  0 and a one-year calendar in *out, or YW_EIO /
 * YW_ECONFIG with err as for yw_cal_load. */
int yw_cal_load_file(const char *path, struct yw_calendar **out, struct yw_err *err);
/* Free a calendar from yw_cal_load.  NULL is a no-op. */
void yw_cal_free(struct yw_calendar *cal);

/* True when the calendar year of `day` was loaded (its answers are official);
 * false for a NULL calendar. */
bool yw_cal_covers(const struct yw_calendar *cal, int64_t day);
/* Smallest and largest loaded year (0 and 0 for a NULL calendar); loaded years
 * need not be contiguous. */
void yw_cal_years(const struct yw_calendar *cal, int *first, int *last);

/* True when `day` is a working day.  In a loaded year: a listed make-up working
 * day, or Monday-Friday not listed as a holiday.  In a year not loaded (or with a
 * NULL calendar): Monday-Friday, holidays unknown. */
bool yw_cal_is_workday(const struct yw_calendar *cal, int64_t day);
/* Name of the holiday `day` belongs to ("春节"), or NULL when it is not in a
 * listed holiday block (or its year is not loaded).  The string is owned by the
 * calendar and lives as long as it. */
const char *yw_cal_holiday_name(const struct yw_calendar *cal, int64_t day);

/* The n-th working day after `start_day`.  The start day itself never counts,
 * whether or not it is a working day: counting starts on the next working day
 * (《行政许可法》第八十二条: 期限以工作日计算，不含法定节假日; CN-STANDARDS.md §7.4).
 * n = 0 returns start_day unchanged.  n < 0 returns the |n|-th working day
 * before start_day.  The result of n > 0 is always a working day, and
 * yw_cal_workdays_between(cal, start_day, result) == n.  Costs O(|n|) days. */
int64_t yw_cal_add_workdays(const struct yw_calendar *cal, int64_t start_day, int n);
/* yw_cal_add_workdays, refusing to guess: when any day counted (between
 * start_day and the result) lies in a year the calendar does not have, no
 * result - YW_EUNAVAIL with err naming the missing year and how to load it
 * (Chinese and English).  For a deadline shown to an applicant, which must not
 * silently fall back to Monday-Friday.  0 and the day in *out otherwise. */
int yw_cal_add_workdays_checked(const struct yw_calendar *cal, int64_t start_day, int n,
                                int64_t *out, struct yw_err *err);
/* The "source" (the State Council notice) of a loaded year, owned by the
 * calendar; NULL when the year is not loaded. */
const char *yw_cal_source(const struct yw_calendar *cal, int year);
/* Number of working days d with from_day < d <= to_day; when to_day < from_day,
 * minus the number with to_day < d <= from_day (so the result is antisymmetric).
 * days_left = yw_cal_workdays_between(cal, today, due): 0 on the due day itself,
 * negative once overdue (-1 on the first working day after the due day).
 * Costs O(loaded years), whatever the distance; saturates at INT_MIN/INT_MAX. */
int yw_cal_workdays_between(const struct yw_calendar *cal, int64_t from_day, int64_t to_day);

/* ---- days and instants (Asia/Shanghai = UTC+8, no DST) ---- */

/* The civil day in China of a UTC ms instant: 2026-09-30T15:59:59.999Z is still
 * 2026-09-30, 2026-09-30T16:00:00Z is 2026-10-01. */
int64_t yw_cal_day_of_ms(int64_t utc_ms);
/* The first instant of `day` in China as UTC ms (00:00:00.000 +08:00). */
int64_t yw_cal_start_of_day_ms(int64_t day);
/* The last instant of `day` in China as UTC ms (23:59:59.999 +08:00): a deadline
 * "by day X" is met by anything up to and including this instant. */
int64_t yw_cal_end_of_day_ms(int64_t day);
/* Day of week of `day`: 0 = Sunday, 1 = Monday ... 6 = Saturday. */
int yw_cal_weekday(int64_t day);

/* Format `day` as "YYYY-MM-DD" into out (always NUL-terminated; years outside
 * 0000-9999 are written as "0000-00-00"). */
void yw_cal_day_text(int64_t day, char out[11]);
/* Parse exactly "YYYY-MM-DD" (a real Gregorian date, nothing before or after)
 * into *day.  Returns 0, or YW_EINVAL (and *day untouched). */
int yw_cal_parse_day(const char *s, int64_t *day);

#endif
