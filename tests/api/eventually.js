// eventually.js - waiting for what an after-commit subscriber makes.
//
// Rollups, messages, rating invitations and delivery rows follow an event
// from the outbox once its transaction has committed (src/db/events.h): a
// request answered 2xx has published the event, and its derived state
// appears a moment later.  A test that reads such state polls for it with a
// bounded wait instead of reading it once: check() runs its assertions and
// returns what it read; it is run again every 25 ms while it throws, and
// its last error is the test's failure after `ms` milliseconds.  No timing is
// asserted: a fast or a slow dispatch pass alike.
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function eventually(check, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    await sleep(25);
  }
}
