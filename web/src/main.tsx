import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { AccountStore, GUEST, type Session } from "./account";
import { type Schemas, api, call } from "./api/client";
import { type Cart, CartStore } from "./cart";
import { CartNotices, ErrorNotice, Loading } from "./components";
import { CartPage } from "./pages/CartPage";
import { Catalog } from "./pages/Catalog";
import { CheckoutPage } from "./pages/Checkout";
import { FindOrdersPage } from "./pages/FindOrders";
import { OrderPage } from "./pages/OrderPage";
import { ProductPage } from "./pages/Product";
import { AccountLinks } from "./pages/account/AccountLinks";
import { accountScreen } from "./pages/account/routes";
import { fragmentToken } from "./lookup";
import { onLinkClick, useLocation } from "./router";
import { ShopContext, useShop } from "./shop";
import "./styles.css";

const carts = new CartStore(api, localStorage);
const accounts = new AccountStore(api, carts);

// What joining the account's cart may have changed in the guest cart's items.
const JOIN_NOTICES = new Set<Cart["notices"][number]["code"]>(["quantity_capped", "item_unavailable"]);

function Route({ url }: { url: URL }) {
  const shop = useShop();
  const path = url.pathname;
  if (shop.config.accounts_enabled && (path === "/account" || path.startsWith("/account/"))) {
    const screen = accountScreen(url, shop.session.signed_in);
    if (screen) return screen;
  }
  const product = /^\/products\/([^/]+)$/.exec(path);
  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (path === "/") return <Catalog url={url} />;
  if (product?.[1]) return <ProductPage slug={decodeURIComponent(product[1])} />;
  if (path === "/cart") return <CartPage />;
  if (path === "/checkout") return <CheckoutPage />;
  if (path === "/orders/find") return <FindOrdersPage link={fragmentToken(url.hash, "token")} />;
  if (order?.[1]) return <OrderPage id={decodeURIComponent(order[1])} lookup={fragmentToken(url.hash, "lookup")} />;
  return (
    <section>
      <h1>Not found</h1>
      <p>
        There is nothing here. <a href="/">Back to the shop</a>
      </p>
    </section>
  );
}

function App() {
  const url = useLocation();
  const [config, setConfig] = useState<Schemas["StorefrontConfig"] | null>(null);
  const [cart, setCart] = useState<Cart | null>(null);
  const [session, setSession] = useState<Session>(accounts.session);
  const [joined, setJoined] = useState<Cart["notices"]>([]);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  // A session that ends (signed out, here or by the server) takes the account's cart with it.
  useEffect(
    () =>
      accounts.subscribe((next) => {
        setSession(next);
        if (!next.signed_in) setJoined([]);
        if (!carts.key()) setCart(null);
      }),
    [],
  );

  /** The account's cart as the browser's, the guest cart in it; what could not come as it was is said above every page. */
  const joinCart = async () => {
    try {
      const account = await accounts.joinCart();
      setCart(account);
      setJoined(account.notices.filter((notice) => JOIN_NOTICES.has(notice.code)));
    } catch {
      // The cart this browser had stays its cart; the account's joins it at the next visit.
      setCart(await carts.load().catch(() => null));
    }
  };

  useEffect(() => {
    setError(null);
    (async () => {
      const loaded = await call(api.GET("/api/v1/config"));
      // Who is signed in, before any page shows itself to a guest or to a customer. A shop
      // without accounts is not asked: it would answer 404.
      if (loaded.accounts_enabled) await accounts.load().catch(() => accounts.set(GUEST));
      setConfig(loaded);
      const customer = accounts.customer;
      // Signed in on a browser whose cart is not the account's (another device, a cart from
      // before the session was remembered): the account's cart, with that one in it.
      if (customer && carts.key()?.owner !== customer.id) await joinCart();
      else setCart(await carts.load().catch(() => null));
    })().catch(setError);
  }, [attempt]);

  const count = cart?.item_count ?? 0;
  const shop = config && { config, carts, cart, setCart, session, accounts, joinCart };
  return (
    <div onClick={onLinkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <a href="/" class="brand">
          Shop
        </a>
        {config?.demo_payments && (
          <p class="demo-banner">
            <strong>Demo payments: no real money.</strong> Pay with the test card 4242 4242 4242 4242.
          </p>
        )}
        <nav aria-label="Main">
          <a href="/orders/find">Find my order</a>
          {shop && shop.config.accounts_enabled && (
            <ShopContext.Provider value={shop}>
              <AccountLinks />
            </ShopContext.Provider>
          )}
          <a href="/cart">
            Cart <span class="count" aria-label={`${count} items`}>{count}</span>
          </a>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {error ? (
          <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />
        ) : !shop ? (
          <Loading />
        ) : (
          <ShopContext.Provider value={shop}>
            <JoinedNotices notices={joined} onDismiss={() => setJoined([])} />
            <Route url={url} />
          </ShopContext.Provider>
        )}
      </main>
    </div>
  );
}

/**
 * What the server changed in the guest cart's items as they joined the account's cart, above
 * every page until dismissed. The live region is always there, so that its news is read out.
 */
function JoinedNotices({ notices, onDismiss }: { notices: Cart["notices"]; onDismiss(): void }) {
  return (
    <div class={notices.length > 0 ? "joined-notices" : undefined}>
      <CartNotices notices={notices} />
      {notices.length > 0 && (
        <div class="actions">
          <a href="/cart">See your cart</a>
          <button type="button" class="secondary" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
