import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { type Schemas, type Session, api, call } from "../api";
import { useLoad } from "../forms";
import { may } from "../roles";
import { navigate, withQuery } from "../router";
import { Notice, PageTitle, money } from "../ui";

type Report = Schemas["SalesReport"];
type Interval = Schemas["Interval"];

/** Net sales per bucket as a line, drawn on a canvas (no inline styles or scripts, so the CSP
 * holds); the table under it carries the same figures for everyone the canvas does not reach. */
function SalesChart({ report }: { report: Report }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const times = report.buckets.map((b) => Date.parse(`${b.start}T00:00:00Z`) / 1000);
    const units = 10 ** (report.totals.gross.decimal.split(".")[1]?.length ?? 0);
    const gross = report.buckets.map((b) => b.gross.amount / units);
    const net = report.buckets.map((b) => b.net.amount / units);
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 260,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true } },
        series: [
          {},
          { label: "Gross", stroke: "#1f5fa8", width: 2 },
          { label: "Net", stroke: "#2e7d32", width: 2, dash: [6, 4] },
        ],
        axes: [{}, { values: (_, ticks) => ticks.map((t) => t.toLocaleString("en-GB")) }],
      },
      [times, gross, net],
      element,
    );
    return () => plot.destroy();
  }, [report]);
  return <div class="chart" ref={box} aria-hidden="true" />;
}

function SalesTable({ report }: { report: Report }) {
  return (
    <div class="table-wrap">
      <table class="sales">
        <caption>Sales by {report.interval}, in UTC</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col" class="numeric">Orders</th>
            <th scope="col" class="numeric">Gross</th>
            <th scope="col" class="numeric">Refunds</th>
            <th scope="col" class="numeric">Net</th>
            <th scope="col" class="numeric">Average order</th>
          </tr>
        </thead>
        <tbody>
          {report.buckets.map((bucket) => (
            <tr key={bucket.start}>
              <th scope="row">{bucket.start}</th>
              <td class="numeric">{bucket.orders}</td>
              <td class="numeric">{money(bucket.gross)}</td>
              <td class="numeric">{money(bucket.refunds)}</td>
              <td class="numeric">{money(bucket.net)}</td>
              <td class="numeric">{money(bucket.average_order_value)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td class="numeric">{report.totals.orders}</td>
            <td class="numeric">{money(report.totals.gross)}</td>
            <td class="numeric">{money(report.totals.refunds)}</td>
            <td class="numeric">{money(report.totals.net)}</td>
            <td class="numeric">{money(report.totals.average_order_value)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function Sales({ url }: { url: URL }) {
  const interval = (url.searchParams.get("interval") ?? "day") as Interval;
  const from = url.searchParams.get("from") ?? undefined;
  const to = url.searchParams.get("to") ?? undefined;
  const sales = useLoad(
    () => call(api.GET("/api/v1/admin/reports/sales", { params: { query: { interval, from, to } } })),
    [interval, from, to],
  );
  const report = sales.data;

  return (
    <section aria-labelledby="sales-heading">
      <h2 id="sales-heading">Sales</h2>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const data = new FormData(event.currentTarget);
          const value = (name: string) => String(data.get(name) ?? "") || undefined;
          navigate(withQuery(url, { interval: value("interval"), from: value("from"), to: value("to") }));
        }}
      >
        <div class="field">
          <label for="report-from">From</label>
          <input id="report-from" name="from" type="date" value={report?.from ?? from ?? ""} />
        </div>
        <div class="field">
          <label for="report-to">To</label>
          <input id="report-to" name="to" type="date" value={report?.to ?? to ?? ""} />
        </div>
        <div class="field">
          <label for="report-interval">By</label>
          <select id="report-interval" name="interval" value={interval}>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </div>
        <button type="submit">Show</button>
      </form>
      {sales.failure && <Notice kind="error">{sales.failure}</Notice>}
      {report && (
        <>
          <dl class="figures">
            <div>
              <dt>Net sales</dt>
              <dd>{money(report.totals.net)}</dd>
            </div>
            <div>
              <dt>Orders</dt>
              <dd>{report.totals.orders}</dd>
            </div>
            <div>
              <dt>Average order</dt>
              <dd>{money(report.totals.average_order_value)}</dd>
            </div>
            <div>
              <dt>Refunds</dt>
              <dd>{money(report.totals.refunds)}</dd>
            </div>
          </dl>
          <SalesChart report={report} />
          <SalesTable report={report} />
          <h3>Orders placed, by status</h3>
          {report.orders_by_status.length === 0 ? (
            <p>No orders were placed in this range.</p>
          ) : (
            <ul class="statuses">
              {report.orders_by_status.map((s) => (
                <li key={s.status}>
                  <a href={`/admin/orders?status=${s.status}`}>{s.status.replace(/_/g, " ")}</a>: {s.orders}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function LowStock() {
  const stock = useLoad(() => call(api.GET("/api/v1/admin/reports/stock", { params: { query: { below: 5 } } })), []);
  const report = stock.data;
  return (
    <section aria-labelledby="stock-heading">
      <h2 id="stock-heading">Low stock</h2>
      {stock.failure && <Notice kind="error">{stock.failure}</Notice>}
      {report &&
        (report.items.length === 0 ? (
          <p>No active variant has fewer than {report.below} units available.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>Variants with fewer than {report.below} units available</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">SKU</th>
                  <th scope="col" class="numeric">Available</th>
                  <th scope="col" class="numeric">Reserved</th>
                </tr>
              </thead>
              <tbody>
                {report.items.map((item) => (
                  <tr key={item.variant_id}>
                    <td>
                      <a href={`/admin/products/${item.product_id}`}>{item.product_name}</a>
                    </td>
                    <td>{item.sku}</td>
                    <td class="numeric">{item.available}</td>
                    <td class="numeric">{item.stock_reserved}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

export function Dashboard({ session, url }: { session: Session; url: URL }) {
  return (
    <>
      <PageTitle>Dashboard</PageTitle>
      {may(session.role, "read_shop") ? (
        <>
          <Sales url={url} />
          <LowStock />
        </>
      ) : (
        <p>
          <a href="/admin/orders?status=paid&fulfillment_status=unfulfilled">Orders waiting to ship</a>
        </p>
      )}
    </>
  );
}
