// The stack's mail sink (scripts/mail_sink.py), as the browser tests read it: what the shop sent
// to an address, decoded as a mail client shows it.

import assert from "node:assert/strict";
import { stack } from "../../harness/stack.mjs";

/** The first email to `to` that `matches`, from the mail sink, waited for up to 20 s. */
export async function emailTo(to, what, matches) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const response = await fetch(`${stack.STACK_MAIL_URL}/messages?to=${encodeURIComponent(to)}`);
    assert.equal(response.status, 200, "the mail sink lists its messages");
    const found = (await response.json()).find(matches);
    if (found) return found;
    if (Date.now() > deadline) assert.fail(`no ${what} reached ${to} within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
