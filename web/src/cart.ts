// The shopper's cart: its id and secret live in local storage so the cart survives a reload;
// every figure comes from the server. A signed-in shopper's cart is the account's, opened by a
// secret the server gives the account (POST /customers/me/cart) and sent like a guest's.

import type { AddressInput } from "./address";
import { ApiError, type Client, type Schemas, call } from "./api/client";

export type Cart = Schemas["Cart"];
export type ShippingOptions = Schemas["ShippingOptions"];

/** Runs a change of the cart and makes its answer the cart every page shows. */
export type CartWrite = (work: () => Promise<Cart>) => Promise<Cart>;

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface CartKey {
  id: string;
  secret: string;
  /** The account whose cart it is; absent for a guest's cart. */
  owner?: string;
}

/** Where a new cart comes from when the shopper has none: the account's, while signed in. */
export type CartSource = () => Promise<CartKey>;

const STORAGE_KEY = "shop.cart";

export class CartStore {
  private source: CartSource | null = null;

  constructor(
    private readonly client: Client,
    private readonly storage: KeyValueStore,
  ) {}

  key(): CartKey | null {
    const raw = this.storage.getItem(STORAGE_KEY);
    if (!raw) return null;
    try {
      const parsed = JSON.parse(raw) as Partial<CartKey>;
      if (typeof parsed.id !== "string" || typeof parsed.secret !== "string") return null;
      const key: CartKey = { id: parsed.id, secret: parsed.secret };
      if (typeof parsed.owner === "string") key.owner = parsed.owner;
      return key;
    } catch {
      return null;
    }
  }

  /** Makes `key` the cart every page shows from now on. */
  keep(key: CartKey): void {
    this.storage.setItem(STORAGE_KEY, JSON.stringify(key));
  }

  forget(): void {
    this.storage.removeItem(STORAGE_KEY);
  }

  /** Signed in, a new cart is the account's (`source`); signed out (null), a guest's. */
  createWith(source: CartSource | null): void {
    this.source = source;
  }

  private async create(): Promise<CartKey> {
    if (this.source) {
      // The source keeps the key it answers: the account's cart may carry items already.
      return this.source();
    }
    const created = await call(this.client.POST("/api/v1/carts"));
    const key = { id: created.id, secret: created.secret };
    this.keep(key);
    return key;
  }

  private headers(key: CartKey) {
    return { params: { path: { id: key.id }, header: { "Cart-Secret": key.secret } } };
  }

  /** The current cart, or null when there is none (or it expired). */
  async load(): Promise<Cart | null> {
    const key = this.key();
    if (!key) return null;
    try {
      return await call(this.client.GET("/api/v1/carts/{id}", this.headers(key)));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.forget();
        return null;
      }
      throw error;
    }
  }

  async add(variantId: string, quantity: number): Promise<Cart> {
    const attempt = async (key: CartKey) =>
      call(
        this.client.POST("/api/v1/carts/{id}/items", {
          ...this.headers(key),
          body: { variant_id: variantId, quantity },
        }),
      );
    const existing = this.key();
    if (existing) {
      try {
        return await attempt(existing);
      } catch (error) {
        // An expired or vanished cart is replaced; everything else is the caller's to show.
        if (!(error instanceof ApiError && error.status === 404)) throw error;
        this.forget();
      }
    }
    return attempt(await this.create());
  }

  async setQuantity(lineId: string, quantity: number): Promise<Cart> {
    const key = this.require();
    return call(
      this.client.PATCH("/api/v1/carts/{id}/items/{line_id}", {
        params: { path: { id: key.id, line_id: lineId }, header: { "Cart-Secret": key.secret } },
        body: { quantity },
      }),
    );
  }

  async remove(lineId: string): Promise<Cart> {
    const key = this.require();
    return call(
      this.client.DELETE("/api/v1/carts/{id}/items/{line_id}", {
        params: { path: { id: key.id, line_id: lineId }, header: { "Cart-Secret": key.secret } },
      }),
    );
  }

  async setShippingAddress(address: AddressInput): Promise<Cart> {
    return call(this.client.PUT("/api/v1/carts/{id}/shipping-address", { ...this.headers(this.require()), body: address }));
  }

  async setBillingAddress(address: AddressInput): Promise<Cart> {
    return call(this.client.PUT("/api/v1/carts/{id}/billing-address", { ...this.headers(this.require()), body: address }));
  }

  /** Back to billing the shipping address. */
  async billToShippingAddress(): Promise<Cart> {
    return call(this.client.DELETE("/api/v1/carts/{id}/billing-address", this.headers(this.require())));
  }

  /** The ways to ship to the cart's address, priced for the cart; a 409 until it has one. */
  async shippingOptions(): Promise<ShippingOptions> {
    return call(this.client.GET("/api/v1/carts/{id}/shipping-options", this.headers(this.require())));
  }

  async setShippingMethod(rateId: string): Promise<Cart> {
    return call(this.client.PUT("/api/v1/carts/{id}/shipping-method", { ...this.headers(this.require()), body: { rate_id: rateId } }));
  }

  /** Puts the code on the cart in place of any it had. */
  async applyPromotion(code: string): Promise<Cart> {
    return call(this.client.POST("/api/v1/carts/{id}/promotions", { ...this.headers(this.require()), body: { code } }));
  }

  async removePromotion(code: string): Promise<Cart> {
    const key = this.require();
    return call(
      this.client.DELETE("/api/v1/carts/{id}/promotions/{code}", {
        params: { path: { id: key.id, code }, header: { "Cart-Secret": key.secret } },
      }),
    );
  }

  private require(): CartKey {
    const key = this.key();
    if (!key) throw new ApiError("client", 404);
    return key;
  }
}
