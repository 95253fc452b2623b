import { useState } from "preact/hooks";
import type { paths } from "../../api/schema";
import { api, call } from "../api";
import { useLoad } from "../forms";
import { type Column, Field, FilterForm, Notice, PageTitle, Select, Table, dateTime, money } from "../ui";
import { type AdminOrder, fulfillmentStatuses, orderStatuses, shortId } from "./orderRules";

type Query = NonNullable<paths["/api/v1/admin/orders"]["get"]["parameters"]["query"]>;

const columns: Array<Column<AdminOrder>> = [
  {
    label: "Order",
    render: (order) => <a href={`/admin/orders/${order.id}`}>{shortId(order.id)}</a>,
  },
  { label: "Placed", sort: "created_at", render: (order) => dateTime(order.created_at) },
  { label: "Email", render: (order) => order.email },
  { label: "Status", render: (order) => orderStatuses[order.status] },
  { label: "Fulfilment", render: (order) => fulfillmentStatuses[order.fulfillment_status] },
  { label: "Total", sort: "total", numeric: true, render: (order) => money(order.total) },
  { label: "Refunded", numeric: true, render: (order) => (order.refunded.amount > 0 ? money(order.refunded) : "—") },
];

/** The filters as the address has them; remounted when it changes (back, forward, a link). */
function Filters({ url, errors }: { url: URL; errors: Record<string, string> }) {
  const [status, setStatus] = useState(url.searchParams.get("status") ?? "");
  const [fulfilment, setFulfilment] = useState(url.searchParams.get("fulfillment_status") ?? "");
  const [email, setEmail] = useState(url.searchParams.get("email") ?? "");
  return (
    <FilterForm url={url}>
      <Select
        name="status"
        label="Status"
        value={status}
        options={[["", "Any"], ...Object.entries(orderStatuses)]}
        onValue={setStatus}
        errors={errors}
      />
      <Select
        name="fulfillment_status"
        label="Fulfilment"
        value={fulfilment}
        options={[["", "Any"], ...Object.entries(fulfillmentStatuses)]}
        onValue={setFulfilment}
        errors={errors}
      />
      <Field name="email" label="Email contains" type="search" value={email} onValue={setEmail} errors={errors} />
    </FilterForm>
  );
}

export function Orders({ url }: { url: URL }) {
  const params = url.searchParams;
  const sort = params.get("sort") ?? "-created_at";
  const number = (name: string) => Number(params.get(name)) || undefined;
  const query: Query = {
    status: (params.get("status") || undefined) as Query["status"],
    fulfillment_status: (params.get("fulfillment_status") || undefined) as Query["fulfillment_status"],
    email: params.get("email") || undefined,
    sort: sort as Query["sort"],
    page: number("page"),
    limit: number("limit"),
  };
  const orders = useLoad(() => call(api.GET("/api/v1/admin/orders", { params: { query } })), [url.search], {
    inputs: ["status", "fulfillment_status", "email"],
  });
  const result = orders.data;

  return (
    <>
      <PageTitle>Orders</PageTitle>
      <Filters key={url.search} url={url} errors={orders.errors} />
      {orders.failure && <Notice kind="error">{orders.failure}</Notice>}
      {/* A refused search shows no table rather than the last one's. */}
      {result && !orders.failure && (
        <Table
          caption={`Orders (${result.total})`}
          columns={columns}
          rows={result.items}
          rowKey={(order) => order.id}
          url={url}
          sort={sort}
          page={{ page: result.page, total_pages: result.total_pages, total: result.total }}
        />
      )}
    </>
  );
}
