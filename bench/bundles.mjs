// What each page of the web build weighs as a browser receives it: every script and stylesheet
// its HTML loads, gzipped. Fails when a page is over its budget: the storefront 60 KB (a
// shopper on a phone), the back office 150 KB. The API reference is loaded only when asked for
// and is not counted. Run after `npm --prefix web run build`.

import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dist = new URL("../web/dist/", import.meta.url);
const pages = [
  { name: "storefront", html: "index.html", budget: 60 * 1024 },
  { name: "back office", html: "admin/index.html", budget: 150 * 1024 },
];

let over = false;
for (const page of pages) {
  const html = readFileSync(new URL(page.html, dist), "utf8");
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  if (assets.length === 0) throw new Error(`dist/${page.html} loads no assets: is the build there?`);
  let total = 0;
  for (const asset of new Set(assets)) {
    const size = gzipSync(readFileSync(new URL(asset, dist)), { level: 9 }).length;
    total += size;
    console.log(`  ${asset}: ${(size / 1024).toFixed(1)} KB gzipped`);
  }
  console.log(`${page.name}: ${(total / 1024).toFixed(1)} KB gzipped, budget ${page.budget / 1024} KB`);
  if (total > page.budget) {
    console.error(`the ${page.name} is over its budget`);
    over = true;
  }
}
if (over) process.exit(1);
