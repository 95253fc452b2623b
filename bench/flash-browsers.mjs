// The flash sale's browsers, in a thread of their own: product lists and pages through nginx,
// with a moment between clicks, until told to stop. Their own event loop times their requests,
// so the shoppers' thousand sockets do not delay when a browser's answer is read (as they would
// not on a real shopper's computer). What is measured is the requests sent during the rush:
// from the message "rush" to the message "stop", when it posts its figures.

import { parentPort, workerData } from "node:worker_threads";
import { addressOf, client, sleep } from "./flash-client.mjs";

const { shopUrl, browsers, firstClient, catalog } = workerData;
const { request, close } = client(shopUrl);
const ms = [];
const statuses = {};
const caches = {};
let browsing = true;
let rush = false;
parentPort.on("message", (message) => {
  if (message === "rush") rush = true;
  else browsing = false;
});

await Promise.all(
  Array.from({ length: browsers }, async (_, b) => {
    const from = addressOf(firstClient + b);
    while (browsing) {
      const path = Math.random() < 0.5 ? "/api/v1/products?limit=24" : `/api/v1/products/${catalog[Math.floor(Math.random() * catalog.length)]}`;
      const during = rush;
      const response = await request(from, "GET", path);
      if (!during) {
        await sleep(100 + Math.random() * 400);
        continue;
      }
      ms.push(response.ms);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      (caches[response.cache] ??= []).push(response.ms);
      await sleep(100 + Math.random() * 400);
    }
  }),
);
close();
parentPort.postMessage({ ms, statuses, caches });
