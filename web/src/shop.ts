import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Schemas } from "./api/client";
import type { Cart, CartStore } from "./cart";

/** What every page may need: the run-time config, and the cart with a way to replace it. */
export interface Shop {
  config: Schemas["StorefrontConfig"];
  carts: CartStore;
  cart: Cart | null;
  setCart(cart: Cart | null): void;
}

export const ShopContext = createContext<Shop | null>(null);

export function useShop(): Shop {
  const shop = useContext(ShopContext);
  if (!shop) throw new Error("useShop outside the shop");
  return shop;
}
