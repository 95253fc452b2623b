// The HTTP client of the flash sale's shoppers and browsers: each client from a loopback address
// of its own, kept alive as a browser keeps its connections, through nginx.

import http from "node:http";

// Client i's own address: 127.20.0.0/16 is all loopback on Linux, and none of it is nginx's.
export const addressOf = (i) => `127.20.${Math.floor(i / 250)}.${(i % 250) + 1}`;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const quantile = (values, q) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};

/** A client of the shop at `shopUrl`: `request(address, method, path, options)` answers
 * `{ status, body, ms, cache }`, `cache` being nginx's X-Cache. */
export function client(shopUrl) {
  const shop = new URL(shopUrl);
  const agents = new Map();
  const agentFor = (address) => {
    if (!agents.has(address)) agents.set(address, new http.Agent({ keepAlive: true, localAddress: address, maxSockets: 4 }));
    return agents.get(address);
  };
  const request = (address, method, path, { headers = {}, json } = {}) => {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const started = performance.now();
    return new Promise((resolve) => {
      const outgoing = http.request(
        {
          host: shop.hostname,
          port: shop.port,
          method,
          path,
          agent: agentFor(address),
          localAddress: address,
          headers: { ...headers, ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}) },
        },
        (response) => {
          const chunks = [];
          response.on("data", (chunk) => chunks.push(chunk));
          response.on("end", () => {
            const ms = performance.now() - started;
            const text = Buffer.concat(chunks).toString();
            let parsed = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: kept as text
            }
            resolve({ status: response.statusCode, body: parsed, ms, cache: response.headers["x-cache"] ?? "none" });
          });
        },
      );
      outgoing.on("error", (error) => resolve({ status: 0, body: String(error), ms: performance.now() - started, cache: "none" }));
      if (body) outgoing.write(body);
      outgoing.end();
    });
  };
  const close = () => {
    for (const agent of agents.values()) agent.destroy();
  };
  return { request, close };
}
