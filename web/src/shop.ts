import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { AccountStore, Session } from "./account";
import type { Schemas } from "./api/client";
import type { Cart, CartStore } from "./cart";

/** What every page may need: the run-time config, the cart with a way to replace it, and who is signed in. */
export interface Shop {
  config: Schemas["StorefrontConfig"];
  carts: CartStore;
  cart: Cart | null;
  setCart(cart: Cart | null): void;
  /** A guest's session when nobody is signed in, or the shop has no accounts. */
  session: Session;
  accounts: AccountStore;
  /** Once signed in: the account's cart becomes the browser's, with the guest cart brought into it. */
  joinCart(): Promise<void>;
}

export const ShopContext = createContext<Shop | null>(null);

export function useShop(): Shop {
  const shop = useContext(ShopContext);
  if (!shop) throw new Error("useShop outside the shop");
  return shop;
}
