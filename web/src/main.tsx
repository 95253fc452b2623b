import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { type Schemas, api, call } from "./api/client";
import { type Cart, CartStore } from "./cart";
import { ErrorNotice, Loading } from "./components";
import { CartPage } from "./pages/CartPage";
import { Catalog } from "./pages/Catalog";
import { CheckoutPage } from "./pages/Checkout";
import { FindOrdersPage } from "./pages/FindOrders";
import { OrderPage } from "./pages/OrderPage";
import { ProductPage } from "./pages/Product";
import { fragmentToken } from "./lookup";
import { onLinkClick, useLocation } from "./router";
import { ShopContext } from "./shop";
import "./styles.css";

const carts = new CartStore(api, localStorage);

function Route({ url }: { url: URL }) {
  const path = url.pathname;
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
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(null);
    call(api.GET("/api/v1/config")).then(setConfig, setError);
    carts.load().then(setCart, () => setCart(null));
  }, [attempt]);

  const count = cart?.item_count ?? 0;
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
          <a href="/cart">
            Cart <span class="count" aria-label={`${count} items`}>{count}</span>
          </a>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {error ? (
          <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />
        ) : !config ? (
          <Loading />
        ) : (
          <ShopContext.Provider value={{ config, carts, cart, setCart }}>
            <Route url={url} />
          </ShopContext.Provider>
        )}
      </main>
    </div>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
