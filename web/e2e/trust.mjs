// Chromium on Linux trusts the CAs in the user's NSS database ($HOME/.pki/nssdb), as a shopper's
// machine does once told to. A HOME of its own, trusting one CA, shows that the HTTPS edge works
// with a certificate the browser checks, not with errors ignored.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh HOME whose NSS database trusts `caFile` to identify web servers. */
export function homeTrusting(caFile) {
  const home = mkdtempSync(join(tmpdir(), "shop-browser-home-"));
  const db = join(home, ".pki", "nssdb");
  mkdirSync(db, { recursive: true });
  execFileSync("certutil", ["-d", `sql:${db}`, "-N", "--empty-password"]);
  execFileSync("certutil", ["-d", `sql:${db}`, "-A", "-t", "C,,", "-n", "shop-local-ca", "-i", caFile]);
  return home;
}

/** A fresh HOME that trusts nothing but the system's defaults. */
export function homeTrustingNothing() {
  return mkdtempSync(join(tmpdir(), "shop-browser-home-"));
}
