/*
 * lockout.c - the login lockout: growing waits per (login, address) pair,
 * ceilings per login and per address that only slow, never lock.
 *
 * Why not "five failures lock the account": anyone who knows a login (admin,
 * chief) could then keep its owner out for good, and a per-address block
 * locks out a whole office behind one NAT address.  Following OWASP's
 * authentication cheat sheet and Keycloak's temporary lockout, failures are
 * counted per pair of login and client address over `login_window` seconds:
 *
 *   - a pair may fail `login_free_failures` times; after that it must wait
 *     login_delay seconds after its last failure, doubling with every further
 *     failure up to login_delay_max (1 s, 2 s, 4 s ...);
 *   - past `login_account_ceiling` failures of a login from all addresses, or
 *     `login_address_ceiling` failures from one address over all logins, the
 *     free failures drop to none: a pair that has failed waits at once, and a
 *     pair that has not failed waits login_delay once (its first request is
 *     answered 429 and remembered as a 'wait' row; it may try when that has
 *     passed).  So the owner, from an address that has not failed, logs in
 *     after one short wait however long an attack goes on, and a colleague
 *     behind an attacked NAT does the same.
 *
 * A refused attempt is answered 429 with Retry-After and its password is never
 * checked; nothing sleeps on a server thread.
 *
 * Atomicity (issue 21.6): the counts are read and the attempt is reserved -
 * a 'pending' row that counts as a failure - in one short write transaction
 * under a per-login and per-address lock (PostgreSQL: pg_advisory_xact_lock,
 * so every node shares them; SQLite: the write lock of BEGIN IMMEDIATE).  The
 * Argon2id check runs after that transaction, with no lock held, and the
 * caller settles the reservation in its own transaction (a failure, or a
 * session that clears the pair).  So attempt k of a pair always sees the k-1
 * before it, whatever the number of parallel requests or nodes.  A reservation
 * that is never settled (the process died while hashing) stays a failure.
 */
#include "identity/internal.h"
#include "identity/settings.h"

#include "core/clock.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* Lock classes of pg_advisory_xact_lock(int, int): 'yw' and 1 / 2. */
#define LOCK_LOGIN   0x79770001
#define LOCK_ADDRESS 0x79770002

int64_t
yw_ident__lockout_delay_ms(const struct yw_ident_settings *cfg, int64_t over)
{
    int64_t d = cfg->login_delay * 1000, max = cfg->login_delay_max * 1000;
    for (int64_t i = 0; i < over && d > 0 && d < max; i++)
        d *= 2;
    return d < max ? d : max;
}

void
yw_ident__lockout_decide(const struct yw_ident_settings *cfg, const struct yw_ident_lock_counts *n,
                         int64_t now_ms, struct yw_ident_lock_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->free = cfg->login_free_failures;
    v->code = YW_ELOCKED;
    if (n->account >= cfg->login_account_ceiling) {
        v->free = 0;
    } else if (n->address >= cfg->login_address_ceiling) {
        v->free = 0;
        if (n->pair < cfg->login_free_failures)
            v->code = YW_ERATE; /* the address's doing, not this pair's */
    }
    if (n->pair < v->free || cfg->login_delay == 0)
        return;
    if (n->pair == 0) { /* under a ceiling, an address that has not failed: one short wait */
        int64_t d = cfg->login_delay * 1000;
        if (n->announced_ms == 0) {
            v->announce = true;
            v->wait_ms = d;
        } else if (now_ms < n->announced_ms + d) {
            v->wait_ms = n->announced_ms + d - now_ms;
        }
        return;
    }
    int64_t until = n->pair_last_ms + yw_ident__lockout_delay_ms(cfg, n->pair - v->free);
    if (now_ms < until)
        v->wait_ms = until - now_ms;
}

void
yw_ident__lockout_address(const char *ip, char out[64])
{
    struct in6_addr a6;
    if (strchr(ip, ':') == NULL || inet_pton(AF_INET6, ip, &a6) != 1) {
        snprintf(out, 64, "%s", ip);
        return;
    }
    char buf[INET6_ADDRSTRLEN];
    if (IN6_IS_ADDR_V4MAPPED(&a6)) { /* ::ffff:192.0.2.1 is 192.0.2.1 */
        inet_ntop(AF_INET, &a6.s6_addr[12], buf, sizeof buf);
        snprintf(out, 64, "%s", buf);
        return;
    }
    memset(&a6.s6_addr[8], 0, 8); /* one site's /64 is one address, as a NAT's is */
    inet_ntop(AF_INET6, &a6, buf, sizeof buf);
    snprintf(out, 64, "%s/64", buf);
}

/* 32-bit FNV-1a of s, as the int an advisory lock takes. */
static int
lock_key(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return (int)(int32_t)h;
}

struct reserve_tx {
    const char *login, *ip;
    int64_t now_ms;
    const struct yw_ident_settings *cfg;
    struct yw_ident_attempt *a;
};

/* A failed read is never "no failures": that would lift the lockout. */
static int
read_failed(int rc)
{
    return rc == YW_ENOTFOUND ? YW_EDB : rc; /* COUNT(*) and MAX() always have their row */
}

static int
reserve(struct yw_dbc *c, void *ctx)
{
    struct reserve_tx *t = ctx;
    struct yw_ident_attempt *a = t->a;
    memset(a, 0, sizeof *a);
    int rc;
    if (yw_db_engine(yw_dbc_db(c)) == YW_DB_PG) {
        /* always the login's lock first, then the address's: no deadlock */
        rc = yw_db_run(c, "SELECT pg_advisory_xact_lock(CAST(? AS INTEGER), CAST(? AS INTEGER))",
                       "dd", LOCK_LOGIN, lock_key(t->login));
        if (rc == 0)
            rc =
                yw_db_run(c, "SELECT pg_advisory_xact_lock(CAST(? AS INTEGER), CAST(? AS INTEGER))",
                          "dd", LOCK_ADDRESS, lock_key(t->ip));
        if (rc)
            return rc;
    }
    char now[32], since[32];
    yw_clock_format(t->now_ms, now);
    yw_clock_format(t->now_ms - t->cfg->login_window * 1000, since);

    struct yw_ident_lock_counts n = { 0 };
    struct yw_stmt *s;
    rc = yw_db_one_row(
        c, &s,
        "SELECT COUNT(*), MAX(at) FROM login_failures WHERE login = ? AND ip = ? AND at > ? "
        "AND kind <> 'wait'",
        "sss", t->login, t->ip, since);
    if (rc)
        return read_failed(rc);
    n.pair = yw_db_col_int(s, 0);
    if (!yw_db_col_null(s, 1) && yw_clock_parse(yw_db_col_text(s, 1), &n.pair_last_ms) != 0)
        rc = YW_EDB;
    yw_db_reset(s);
    if (rc)
        return rc;
    rc = yw_db_one_int(
        c, &n.account,
        "SELECT COUNT(*) FROM login_failures WHERE login = ? AND at > ? AND kind <> 'wait'", "ss",
        t->login, since);
    if (rc == 0)
        rc = yw_db_one_int(
            c, &n.address,
            "SELECT COUNT(*) FROM login_failures WHERE ip = ? AND at > ? AND kind <> 'wait'", "ss",
            t->ip, since);
    if (rc)
        return read_failed(rc);
    if (n.pair == 0) {
        rc = yw_db_one_row(
            c, &s,
            "SELECT MAX(at) FROM login_failures WHERE login = ? AND ip = ? AND at > ? "
            "AND kind = 'wait'",
            "sss", t->login, t->ip, since);
        if (rc)
            return read_failed(rc);
        if (!yw_db_col_null(s, 0) && yw_clock_parse(yw_db_col_text(s, 0), &n.announced_ms) != 0)
            rc = YW_EDB;
        yw_db_reset(s);
        if (rc)
            return rc;
    }

    struct yw_ident_lock_verdict v;
    yw_ident__lockout_decide(t->cfg, &n, t->now_ms, &v);
    a->pair = n.pair;
    a->free = v.free;
    a->code = v.code;
    if (v.wait_ms > 0) {
        a->retry_after = (v.wait_ms + 999) / 1000;
        if (v.announce)
            return yw_db_run(
                c, "INSERT INTO login_failures (login, ip, at, kind) VALUES (?, ?, ?, 'wait')",
                "sss", t->login, t->ip, now);
        return 0;
    }
    if (n.announced_ms &&
        (rc =
             yw_db_run(c, "DELETE FROM login_failures WHERE login = ? AND ip = ? AND kind = 'wait'",
                       "ss", t->login, t->ip)))
        return rc;
    return yw_db_one_int(
        c, &a->id,
        "INSERT INTO login_failures (login, ip, at, kind) VALUES (?, ?, ?, 'pending') RETURNING id",
        "sss", t->login, t->ip, now);
}

int
yw_ident__lockout_reserve(struct yw_app *app, const char *login, const char *ip, int64_t now_ms,
                          struct yw_ident_attempt *a, struct yw_err *err)
{
    struct reserve_tx t = {
        .login = login, .ip = ip, .now_ms = now_ms, .cfg = yw_ident_cfg(app), .a = a
    };
    int rc = yw_db_tx(app->db, YW_TX_WRITE, reserve, &t, err);
    if (rc == YW_EDB || rc == YW_ENOTFOUND)
        return yw_fail(err, YW_EDB, "", "cannot read the failed logins");
    return rc;
}

int
yw_ident__lockout_settle(struct yw_dbc *c, const struct yw_ident_settings *cfg, const char *login,
                         const char *ip, const struct yw_ident_attempt *a, bool ok, int64_t now_ms)
{
    char now[32], since[32];
    yw_clock_format(now_ms, now);
    yw_clock_format(now_ms - cfg->login_window * 1000, since);
    int rc;
    if (ok) {
        /* the pair starts afresh; other addresses' failures stay counted */
        rc = yw_db_run(c, "DELETE FROM login_failures WHERE login = ? AND ip = ?", "ss", login, ip);
    } else {
        int64_t changed = 0;
        rc = yw_db_run_changes(
            c, &changed, "UPDATE login_failures SET kind = 'failed' WHERE id = ?", "i", a->id);
        /* a parallel success of the same pair cleared the reservation: the
         * failure still counts */
        if (rc == 0 && changed == 0)
            rc = yw_db_run(
                c, "INSERT INTO login_failures (login, ip, at, kind) VALUES (?, ?, ?, 'failed')",
                "sss", login, ip, now);
    }
    if (rc == 0) /* what no longer counts, for this login */
        rc = yw_db_run(c, "DELETE FROM login_failures WHERE login = ? AND at <= ?", "ss", login,
                       since);
    return rc;
}
