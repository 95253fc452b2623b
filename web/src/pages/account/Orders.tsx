import { useEffect, useState } from "preact/hooks";
import { ApiError, type Schemas, api, call } from "../../api/client";
import { ErrorNotice, Loading } from "../../components";
import { navigate } from "../../router";
import { OrderListItem } from "../FindOrders";
import { OrderView } from "../OrderPage";
import { AccountPage } from "./ui";

type OrderPage = Schemas["CustomerOrderPage"];
type Order = Schemas["Order"];

const PER_PAGE = 10;

/** The account's paid orders, newest first, a page at a time (`?page=`). */
export function OrdersPage({ page }: { page: number }) {
  const [orders, setOrders] = useState<OrderPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stopped = false;
    setError(null);
    call(api.GET("/api/v1/customers/me/orders", { params: { query: { page, limit: PER_PAGE } } })).then(
      (answer) => !stopped && setOrders(answer),
      (failure: unknown) => !stopped && setError(failure),
    );
    return () => {
      stopped = true;
    };
  }, [page, attempt]);

  const go = (to: number) => navigate(to <= 1 ? "/account/orders" : `/account/orders?page=${to}`);
  return (
    <AccountPage title="Your orders" section="/account/orders">
      {error !== null ? (
        <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />
      ) : !orders ? (
        <Loading>Loading your orders…</Loading>
      ) : orders.total === 0 ? (
        <p>
          You have no orders yet. <a href="/">Continue shopping</a>
        </p>
      ) : (
        <>
          <p class="muted">
            {orders.total === 1 ? "1 order" : `${orders.total} orders`}, newest first, with those you placed as a guest with this address.
          </p>
          <ul class="found-orders">
            {orders.items.map((order) => (
              <OrderListItem key={order.id} order={order} href={`/account/orders/${encodeURIComponent(order.id)}`} />
            ))}
          </ul>
          {orders.total_pages > 1 && (
            <nav class="pager" aria-label="Pages of orders">
              <button type="button" disabled={page <= 1} onClick={() => go(page - 1)}>
                Previous
              </button>
              <span>
                Page {orders.page} of {orders.total_pages}
              </span>
              <button type="button" disabled={page >= orders.total_pages} onClick={() => go(page + 1)}>
                Next
              </button>
            </nav>
          )}
        </>
      )}
    </AccountPage>
  );
}

/** One of the account's orders, as its order page shows it; another's is "not found", as a missing one. */
export function AccountOrderPage({ id }: { id: string }) {
  const [order, setOrder] = useState<Order | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let stopped = false;
    setError(null);
    call(api.GET("/api/v1/customers/me/orders/{id}", { params: { path: { id } } })).then(
      (answer) => !stopped && setOrder(answer),
      (failure: unknown) => !stopped && setError(failure),
    );
    return () => {
      stopped = true;
    };
  }, [id, attempt]);

  if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
    return (
      <section aria-labelledby="order-title">
        <h1 id="order-title">Order not found</h1>
        <p>
          Your account has no such order. <a href="/account/orders">Your orders</a>
        </p>
      </section>
    );
  }
  if (error !== null) return <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />;
  if (!order) return <Loading />;
  return (
    <>
      <OrderView order={order} />
      <p>
        <a href="/account/orders">Back to your orders</a>
      </p>
    </>
  );
}
