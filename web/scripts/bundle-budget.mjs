// The storefront's weight as a shopper's browser receives it: every script and stylesheet that
// dist/index.html loads, gzipped. Fails above the budget (60 KB). The API reference and the demo
// Stripe.js are loaded by other pages, only when asked for, and are not counted.

import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET = 60 * 1024;
const dist = new URL("../dist/", import.meta.url);
const html = readFileSync(new URL("index.html", dist), "utf8");
const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
if (assets.length === 0) throw new Error("dist/index.html loads no assets: is the build there?");
let total = 0;
for (const asset of assets) {
  const size = gzipSync(readFileSync(new URL(asset, dist)), { level: 9 }).length;
  total += size;
  console.log(`${asset}: ${(size / 1024).toFixed(1)} KB gzipped`);
}
console.log(`storefront: ${(total / 1024).toFixed(1)} KB gzipped, budget ${BUDGET / 1024} KB`);
if (total > BUDGET) {
  console.error("the storefront is over its budget");
  process.exit(1);
}
