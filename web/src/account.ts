// The signed-in shopper. The session GET /auth/session tells at start is kept here, and replaced by
// every answer that changes it: signing in, confirming the address, a new password, signing out,
// erasing the account. The session cookie is the browser's (HttpOnly, same origin); what this
// page must add is the session's CSRF token, on every write made while signed in, which one
// middleware does for every call of the client.

import type { Middleware } from "openapi-fetch";
import { ApiError, type Client, type Schemas, call } from "./api/client";
import type { Cart, CartKey, CartStore } from "./cart";

export type Session = Schemas["CustomerSession"];
export type Customer = Schemas["CustomerView"];
export type VerifiedSession = Schemas["VerifiedSession"];

/** Nobody signed in: a guest's session, and the only one of a shop without accounts. */
export const GUEST: Session = { signed_in: false, customer: null, csrf_token: null, idle_timeout_secs: 0 };

// The methods that change nothing; the server checks the token on every other one.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

// Where a 401 means "sign-in-required" (the session ended: idle, signed out elsewhere, password
// changed elsewhere), not a refused password as sign-in's and confirmation's 401 do.
const SIGNED_IN_ONLY = /^\/api\/v1\/(customers\/|auth\/logout$)/;

/**
 * Adds `X-CSRF-Token` to every write while a token is known (`token()`), and calls `ended` when
 * the server says the session is over. Reads go without it: the server wants it on writes only,
 * and a token in fewer requests is a token in fewer logs.
 */
export function csrfMiddleware(token: () => string | null, ended: () => void): Middleware {
  return {
    onRequest({ request }) {
      const csrf = token();
      if (csrf && !SAFE_METHODS.has(request.method.toUpperCase())) request.headers.set("X-CSRF-Token", csrf);
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && token() !== null && SIGNED_IN_ONLY.test(new URL(request.url).pathname)) ended();
      return response;
    },
  };
}

/** The problem type of a failure, without its `urn:shop:problem:` prefix ("email-not-verified"). */
export function problemSlug(error: unknown): string | null {
  if (!(error instanceof ApiError) || !error.problem) return null;
  return error.problem.type.replace(/^urn:shop:problem:/, "");
}

/** A sign-in's or a confirmation's refusal, said for the shopper; null when the usual notice says it. */
export function signInRefusal(error: unknown): string | null {
  switch (problemSlug(error)) {
    case "invalid-credentials":
      return "The email address or the password is not right. Check both and try again.";
    case "email-not-verified":
      return "Confirm your email address first: open the link we emailed you when you signed up.";
    case "too-many-login-attempts":
      return "Too many failed sign-ins. Wait a few minutes, then try again, or reset your password.";
    default:
      return null;
  }
}

/** Whether the server refused an emailed link: forged, expired, or already used. */
export function isLinkInvalid(error: unknown): boolean {
  return problemSlug(error) === "link-invalid";
}

/** A `next` page to go to after signing in: one of this shop's own, never another site. */
export function safeNext(next: string | null | undefined, fallback = "/account"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return fallback;
  return next;
}

type Listener = (session: Session) => void;

/** The session, kept for every page, with the calls that change it. */
export class AccountStore {
  private current: Session = GUEST;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly client: Client,
    private readonly carts: CartStore,
  ) {
    client.use(
      csrfMiddleware(
        () => (this.current.signed_in ? (this.current.csrf_token ?? null) : null),
        () => this.set(GUEST),
      ),
    );
  }

  get session(): Session {
    return this.current;
  }

  get customer(): Customer | null {
    return this.current.signed_in ? (this.current.customer ?? null) : null;
  }

  /** Called with each new session; answers the way to stop. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Replaces the session. Signed in, a cart the shopper creates is the account's; signed out, the
   * account's cart is no longer this browser's to open, and a guest cart starts afresh.
   */
  set(session: Session): void {
    this.current = session;
    const customer = this.customer;
    if (customer) {
      this.carts.createWith(async () => (await this.accountCart(customer.id)).key);
    } else {
      this.carts.createWith(null);
      if (this.carts.key()?.owner) this.carts.forget();
    }
    for (const listener of this.listeners) listener(session);
  }

  /** At start: who is signed in. Nobody is when the shop has no accounts, and the server says so with a 404. */
  async load(): Promise<Session> {
    try {
      this.set(await call(this.client.GET("/api/v1/auth/session")));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      this.set(GUEST);
    }
    return this.current;
  }

  async signIn(email: string, password: string): Promise<Session> {
    const session = await call(this.client.POST("/api/v1/auth/login", { body: { email, password } }));
    this.set(session);
    return session;
  }

  /** Confirms the address with the emailed link's token and the sign-up's password, which signs in. */
  async verify(token: string, password: string): Promise<VerifiedSession> {
    const verified = await call(this.client.POST("/api/v1/auth/verify", { body: { token, password } }));
    this.set(verified);
    return verified;
  }

  /** Ends the session; one the server had ended already counts as ended. */
  async signOut(): Promise<void> {
    try {
      await call(this.client.POST("/api/v1/auth/logout"));
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    this.set(GUEST);
  }

  /** A new password from the emailed reset link: every session of the account ends, this one too. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    await call(this.client.POST("/api/v1/auth/password-reset/confirm", { body: { token, new_password: newPassword } }));
    if (this.current.signed_in) this.set(GUEST);
  }

  /** A new password while signed in: the server answers a new session (cookie and CSRF token). */
  async changePassword(currentPassword: string, newPassword: string): Promise<Session> {
    const session = await call(
      this.client.POST("/api/v1/customers/me/password", { body: { current_password: currentPassword, new_password: newPassword } }),
    );
    this.set(session);
    return session;
  }

  /** Erases the account (its orders are kept, anonymised); the server clears the cookie. */
  async erase(password: string): Promise<void> {
    await call(this.client.DELETE("/api/v1/customers/me", { body: { password } }));
    this.set(GUEST);
  }

  /** The profile as it changed: the name shown, the marketing consent. */
  updateCustomer(customer: Customer): void {
    if (this.current.signed_in) this.set({ ...this.current, customer });
  }

  /**
   * The account's cart as the browser's, with the guest cart the shopper had brought into it
   * (the answer's notices say what could not come as it was). A cart of another account is
   * left out: it is not this shopper's to bring.
   */
  async joinCart(): Promise<Cart> {
    const customer = this.customer;
    if (!customer) throw new ApiError("client", 401);
    return (await this.accountCart(customer.id)).cart;
  }

  private async accountCart(owner: string): Promise<{ key: CartKey; cart: Cart }> {
    const current = this.carts.key();
    const guest = current && !current.owner ? { id: current.id, secret: current.secret } : undefined;
    const answer = await call(this.client.POST("/api/v1/customers/me/cart", { body: guest ? { guest_cart: guest } : {} }));
    const key = { id: answer.cart.id, secret: answer.cart_secret, owner };
    this.carts.keep(key);
    return { key, cart: answer.cart };
  }
}
