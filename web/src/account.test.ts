import { describe, expect, it } from "vitest";
import { AccountStore, GUEST, type Session, csrfMiddleware, isLinkInvalid, safeNext, signInRefusal } from "./account";
import { ApiError, makeClient } from "./api/client";
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

interface Seen {
  method: string;
  path: string;
  csrf: string | null;
  cartSecret: string | null;
  body: unknown;
}

/** A fake server: records each request as it arrived (after the middleware), answers from a script. */
function server(answer: (method: string, path: string) => Response) {
  const seen: Seen[] = [];
  const fetchImpl = async (input: Request | string | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    const text = await request.text();
    seen.push({
      method: request.method,
      path,
      csrf: request.headers.get("x-csrf-token"),
      cartSecret: request.headers.get("cart-secret"),
      body: text ? JSON.parse(text) : undefined,
    });
    return answer(request.method, path);
  };
  return { seen, client: makeClient(fetchImpl as typeof fetch, "http://shop.test") };
}

const problem = (status: number, slug: string, extra: object = {}) =>
  Response.json({ type: `urn:shop:problem:${slug}`, title: slug, status, ...extra }, { status, headers: { "content-type": "application/problem+json" } });

const customer = {
  id: "u1",
  email: "ada@example.com",
  name: null,
  email_verified_at: "2026-01-01T00:00:00Z",
  created_at: "2026-01-01T00:00:00Z",
  marketing_consent: { granted: false, changed_at: null },
};
const signedIn: Session = { signed_in: true, customer, csrf_token: "t1", idle_timeout_secs: 604800 };

function cart(id: string) {
  return {
    id,
    status: "open",
    currency: "EUR",
    version: 1,
    lines: [],
    notices: [{ code: "quantity_capped", message: "Some items were added with fewer units." }],
    item_count: 0,
  };
}

describe("csrfMiddleware", () => {
  it("sends the token with writes only, and only once one is known", async () => {
    let token: string | null = null;
    const { seen, client } = server(() => Response.json({}));
    client.use(csrfMiddleware(() => token, () => undefined));
    await client.POST("/api/v1/carts");
    token = "t1";
    await client.GET("/api/v1/carts/{id}", { params: { path: { id: "c1" }, header: { "Cart-Secret": "s" } } });
    await client.POST("/api/v1/auth/logout");
    await client.PATCH("/api/v1/customers/me", { body: { name: "Ada" } });
    await client.DELETE("/api/v1/customers/me/addresses/{id}", { params: { path: { id: "a1" } } });
    expect(seen.map((s) => `${s.method} ${s.csrf ?? "-"}`)).toEqual(["POST -", "GET -", "POST t1", "PATCH t1", "DELETE t1"]);
  });

  it("tells when the server says the session is over, and not when a sign-in is refused", async () => {
    let ended = 0;
    const { client } = server(() => problem(401, "sign-in-required"));
    client.use(csrfMiddleware(() => "t1", () => (ended += 1)));
    await client.POST("/api/v1/auth/login", { body: { email: "a@example.com", password: "x" } });
    await client.POST("/api/v1/auth/verify", { body: { token: "t", password: "x" } });
    expect(ended).toBe(0);
    await client.GET("/api/v1/customers/me");
    expect(ended).toBe(1);
  });
});

describe("AccountStore", () => {
  it("brings the guest cart into the account's, and opens the account's with its secret from then on", async () => {
    const storage = new MemoryStore();
    storage.setItem("shop.cart", JSON.stringify({ id: "guest", secret: "gs" }));
    const { seen, client } = server((_method, path) => {
      if (path === "/api/v1/auth/login") return Response.json(signedIn);
      if (path === "/api/v1/customers/me/cart") return Response.json({ cart_secret: "as", cart: cart("acct") });
      return Response.json(cart("acct"));
    });
    const carts = new CartStore(client, storage);
    const accounts = new AccountStore(client, carts);
    await accounts.signIn("ada@example.com", "correct horse battery");
    const joined = await accounts.joinCart();
    expect(joined.notices.map((n) => n.code)).toEqual(["quantity_capped"]);
    expect(carts.key()).toEqual({ id: "acct", secret: "as", owner: "u1" });
    await carts.load();
    expect(seen.map((s) => `${s.method} ${s.path} ${s.csrf ?? "-"} ${s.cartSecret ?? "-"}`)).toEqual([
      "POST /api/v1/auth/login - -",
      "POST /api/v1/customers/me/cart t1 -",
      "GET /api/v1/carts/acct - as",
    ]);
    expect(seen[1]?.body).toEqual({ guest_cart: { id: "guest", secret: "gs" } });
  });

  it("makes a new cart the account's while signed in", async () => {
    const storage = new MemoryStore();
    const { seen, client } = server((_method, path) =>
      path === "/api/v1/customers/me/cart" ? Response.json({ cart_secret: "as", cart: cart("acct") }) : Response.json(cart("acct")),
    );
    const carts = new CartStore(client, storage);
    const accounts = new AccountStore(client, carts);
    accounts.set(signedIn);
    await carts.add("v1", 1);
    expect(seen.map((s) => `${s.method} ${s.path} ${s.cartSecret ?? "-"}`)).toEqual([
      "POST /api/v1/customers/me/cart -",
      "POST /api/v1/carts/acct/items as",
    ]);
    // Another account's cart is never sent as a guest's.
    accounts.set({ ...signedIn, customer: { ...customer, id: "u2" } });
    await accounts.joinCart();
    expect(seen.at(-1)?.body).toEqual({});
  });

  it("forgets the account's cart when signed out, and keeps a guest's", async () => {
    const storage = new MemoryStore();
    const { seen, client } = server((_method, path) =>
      path === "/api/v1/auth/logout" ? problem(401, "sign-in-required") : Response.json({ ...cart("g"), secret: "gs" }, { status: 201 }),
    );
    const carts = new CartStore(client, storage);
    const accounts = new AccountStore(client, carts);
    accounts.set(signedIn);
    carts.keep({ id: "acct", secret: "as", owner: "u1" });
    const told: boolean[] = [];
    accounts.subscribe((session) => told.push(session.signed_in));
    // Ended on the server already: signed out all the same.
    await accounts.signOut();
    expect(accounts.session).toEqual(GUEST);
    expect(carts.key()).toBeNull();
    expect(told).toEqual([false, false]);
    await carts.add("v1", 1);
    expect(seen.at(-2)?.path).toBe("/api/v1/carts");

    accounts.set(signedIn);
    carts.keep({ id: "g", secret: "gs" });
    accounts.set(GUEST);
    expect(carts.key()).toEqual({ id: "g", secret: "gs" });
  });

  it("takes a shop without accounts for one where nobody is signed in", async () => {
    const { client } = server(() => problem(404, "not-found"));
    const accounts = new AccountStore(client, new CartStore(client, new MemoryStore()));
    await expect(accounts.load()).resolves.toEqual(GUEST);
  });
});

describe("what the account's pages say", () => {
  it("words the refusals of a sign-in", () => {
    expect(signInRefusal(new ApiError("client", 401, { type: "urn:shop:problem:invalid-credentials", title: "x", status: 401 }))).toMatch(
      /not right/,
    );
    expect(signInRefusal(new ApiError("client", 403, { type: "urn:shop:problem:email-not-verified", title: "x", status: 403 }))).toMatch(
      /Confirm your email address/,
    );
    expect(signInRefusal(new ApiError("server", 503))).toBeNull();
    expect(isLinkInvalid(new ApiError("client", 422, { type: "urn:shop:problem:link-invalid", title: "x", status: 422, field: "token" }))).toBe(
      true,
    );
  });

  it("goes on after signing in to this shop's pages only", () => {
    expect(safeNext("/account/orders?page=2")).toBe("/account/orders?page=2");
    expect(safeNext(null)).toBe("/account");
    expect(safeNext("https://evil.example/")).toBe("/account");
    expect(safeNext("//evil.example/")).toBe("/account");
    expect(safeNext("/\\evil.example/")).toBe("/account");
  });
});
