import { describe, expect, it } from "vitest";
import { makeClient } from "./api/client";
import { CartStore, type KeyValueStore } from "./cart";

class MemoryStore implements KeyValueStore {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

function cart(id: string, quantity: number) {
  return {
    id,
    status: "open",
    currency: "EUR",
    version: 2,
    lines: [],
    item_count: quantity,
    subtotal: { amount: 0, currency: "EUR", decimal: "0.00" },
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    expires_at: "2026-01-08T00:00:00Z",
  };
}

/** A fake server: records requests and answers from a script. */
function server(answer: (method: string, url: string, headers: Headers) => Response) {
  const calls: string[] = [];
  const bodies: unknown[] = [];
  const fetchImpl = async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    calls.push(`${request.method} ${new URL(request.url).pathname} ${request.headers.get("cart-secret") ?? "-"}`);
    const body = await request.text();
    if (body) bodies.push(JSON.parse(body));
    return answer(request.method, new URL(request.url).pathname, request.headers);
  };
  return { calls, bodies, client: makeClient(fetchImpl as typeof fetch, "http://shop.test") };
}

describe("CartStore", () => {
  it("creates a cart once, remembers it, and sends its secret", async () => {
    let created = 0;
    const { calls, client } = server((method, url) => {
      if (method === "POST" && url === "/api/v1/carts") {
        created += 1;
        return Response.json({ ...cart("c1", 0), secret: "s1" }, { status: 201 });
      }
      return Response.json(cart("c1", 1));
    });
    const storage = new MemoryStore();
    const store = new CartStore(client, storage);
    await store.add("v1", 1);
    await store.add("v2", 1);
    expect(created).toBe(1);
    expect(store.key()).toEqual({ id: "c1", secret: "s1" });
    expect(calls).toEqual(["POST /api/v1/carts -", "POST /api/v1/carts/c1/items s1", "POST /api/v1/carts/c1/items s1"]);

    // A reload: a new store over the same storage finds the same cart.
    const reloaded = new CartStore(client, storage);
    expect((await reloaded.load())?.id).toBe("c1");
  });

  it("replaces an expired cart", async () => {
    const storage = new MemoryStore();
    storage.setItem("shop.cart", JSON.stringify({ id: "old", secret: "s0" }));
    const { calls, client } = server((method, url) => {
      if (url === "/api/v1/carts/old/items") {
        return Response.json({ type: "urn:shop:problem:not-found", title: "Not found", status: 404 }, { status: 404 });
      }
      if (method === "POST" && url === "/api/v1/carts") return Response.json({ ...cart("new", 0), secret: "s2" }, { status: 201 });
      return Response.json(cart("new", 1));
    });
    const store = new CartStore(client, storage);
    const result = await store.add("v1", 1);
    expect(result.id).toBe("new");
    expect(store.key()).toEqual({ id: "new", secret: "s2" });
    expect(calls).toEqual(["POST /api/v1/carts/old/items s0", "POST /api/v1/carts -", "POST /api/v1/carts/new/items s2"]);
  });

  it("forgets a cart the server no longer knows, and keeps it on other errors", async () => {
    const storage = new MemoryStore();
    storage.setItem("shop.cart", JSON.stringify({ id: "gone", secret: "s" }));
    const gone = server(() => Response.json({ type: "urn:shop:problem:not-found", title: "x", status: 404 }, { status: 404 }));
    expect(await new CartStore(gone.client, storage).load()).toBeNull();
    expect(storage.getItem("shop.cart")).toBeNull();

    storage.setItem("shop.cart", JSON.stringify({ id: "kept", secret: "s" }));
    const down = server(() => Response.json({ type: "urn:shop:problem:unavailable", title: "x", status: 503 }, { status: 503 }));
    await expect(new CartStore(down.client, storage).load()).rejects.toMatchObject({ kind: "server" });
    expect(storage.getItem("shop.cart")).not.toBeNull();
  });

  it("sends the delivery steps to the cart's own endpoints with its secret", async () => {
    const storage = new MemoryStore();
    storage.setItem("shop.cart", JSON.stringify({ id: "c1", secret: "s1" }));
    const { calls, bodies, client } = server((_method, url) =>
      url.endsWith("/shipping-options") ? Response.json({ country: "FR", options: [] }) : Response.json(cart("c1", 1)),
    );
    const store = new CartStore(client, storage);
    const address = { name: "Ada Lovelace", line1: "12 Rue de Rivoli", city: "Paris", postal_code: "75001", country: "FR" as const };
    await store.setShippingAddress(address);
    await store.setBillingAddress(address);
    await store.billToShippingAddress();
    expect(await store.shippingOptions()).toEqual({ country: "FR", options: [] });
    await store.setShippingMethod("r1");
    expect(calls).toEqual([
      "PUT /api/v1/carts/c1/shipping-address s1",
      "PUT /api/v1/carts/c1/billing-address s1",
      "DELETE /api/v1/carts/c1/billing-address s1",
      "GET /api/v1/carts/c1/shipping-options s1",
      "PUT /api/v1/carts/c1/shipping-method s1",
    ]);
    expect(bodies).toEqual([address, address, { rate_id: "r1" }]);
  });
});
