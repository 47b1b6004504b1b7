/*
 * ics.c - the iCalendar (RFC 5545) event of an appointment, built by hand:
 * one VEVENT with UID, SEQUENCE (bumped on every change, so a calendar
 * program replaces the old one) and METHOD REQUEST or CANCEL.  Text values
 * are escaped (§3.3.11: backslash, semicolon, comma, newline) and lines are
 * folded at 75 octets without splitting a UTF-8 character (§3.1).
 */
#include "services/internal.h"

#include "core/clock.h"
#include "core/mem.h"

#include <string.h>

static void
stamp(int64_t ms, char out[17])
{
    char iso[32];
    yw_clock_format(ms, iso); /* 2026-12-08T01:00:00.000Z */
    memcpy(out, iso, 4);
    memcpy(out + 4, iso + 5, 2);
    memcpy(out + 6, iso + 8, 2);
    out[8] = 'T';
    memcpy(out + 9, iso + 11, 2);
    memcpy(out + 11, iso + 14, 2);
    memcpy(out + 13, iso + 17, 2);
    out[15] = 'Z';
    out[16] = '\0';
}

/* Append "NAME:value" folded at 75 octets, ending in CRLF. */
static void
line(struct yw_buf *b, const char *name, const char *value, bool text)
{
    struct yw_buf l;
    yw_buf_init(&l);
    yw_buf_adds(&l, name);
    yw_buf_addc(&l, ':');
    for (const char *p = value; *p; p++) {
        if (text && (*p == '\\' || *p == ';' || *p == ',')) {
            yw_buf_addc(&l, '\\');
            yw_buf_addc(&l, *p);
        } else if (text && *p == '\n') {
            yw_buf_adds(&l, "\\n");
        } else if (*p != '\r') {
            yw_buf_addc(&l, *p);
        }
    }
    size_t col = 0;
    for (size_t i = 0; i < l.n; i++) {
        unsigned char ch = (unsigned char)l.p[i];
        size_t clen = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 1;
        if (col + clen > 75) {
            yw_buf_adds(b, "\r\n ");
            col = 1;
        }
        yw_buf_add(b, l.p + i, clen);
        col += clen;
        i += clen - 1;
    }
    yw_buf_adds(b, "\r\n");
    yw_buf_release(&l);
}

char *
yw_svc__ics_build(struct yw_arena *a, const struct yw_svc__ics *e)
{
    struct yw_buf b;
    yw_buf_init(&b);
    char st[17], en[17], now[17], seq[16];
    stamp(e->start_ms, st);
    stamp(e->end_ms, en);
    stamp(e->stamp_ms, now);
    snprintf(seq, sizeof seq, "%d", e->seq);
    line(&b, "BEGIN", "VCALENDAR", false);
    line(&b, "VERSION", "2.0", false);
    line(&b, "PRODID", "-//Xuhui District//ywtb service hall//ZH", false);
    line(&b, "CALSCALE", "GREGORIAN", false);
    line(&b, "METHOD", e->cancelled ? "CANCEL" : "REQUEST", false);
    line(&b, "BEGIN", "VEVENT", false);
    line(&b, "UID", e->uid, false);
    line(&b, "SEQUENCE", seq, false);
    line(&b, "DTSTAMP", now, false);
    line(&b, "DTSTART", st, false);
    line(&b, "DTEND", en, false);
    line(&b, "SUMMARY", e->summary, true);
    line(&b, "LOCATION", e->location, true);
    line(&b, "DESCRIPTION", e->description, true);
    line(&b, "STATUS", e->cancelled ? "CANCELLED" : "CONFIRMED", false);
    if (!e->cancelled) {
        line(&b, "BEGIN", "VALARM", false);
        line(&b, "TRIGGER", "-P1D", false);
        line(&b, "ACTION", "DISPLAY", false);
        line(&b, "DESCRIPTION", e->summary, true);
        line(&b, "END", "VALARM", false);
    }
    line(&b, "END", "VEVENT", false);
    line(&b, "END", "VCALENDAR", false);
    char *out = yw_arena_strndup(a, b.p, b.n);
    yw_buf_release(&b);
    return out;
}
