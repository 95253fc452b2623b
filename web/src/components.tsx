import type { ComponentChildren } from "preact";
import { userMessage } from "./api/client";
import type { Address } from "./address";
import type { Cart } from "./cart";
import { countryName } from "./countries";
import { type Money, formatMoney } from "./money";
import { type SummaryPlace, type Totals, totalsSummary } from "./totals";

/** An amount; on sale, the compare-at price struck through before it, read out as "was … now …". */
export function Price({ money, compareAt }: { money: Money; compareAt?: Money | null }) {
  if (!compareAt) return <span class="price">{formatMoney(money)}</span>;
  return (
    <span class="price price-sale">
      <del>
        <span class="visually-hidden">Was </span>
        {formatMoney(compareAt)}
      </del>{" "}
      <ins>
        <span class="visually-hidden">now </span>
        {formatMoney(money)}
      </ins>
    </span>
  );
}

/** A failure the shopper can read, with a way to try again when trying again can help. */
export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>{userMessage(error)}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ children }: { children?: ComponentChildren }) {
  return (
    <p class="loading" aria-live="polite">
      {children ?? "Loading…"}
    </p>
  );
}

/** Subtotal, discount, shipping, tax and total, as the server priced them. */
export function OrderTotals(props: { totals: Totals; itemCount: number; place: SummaryPlace }) {
  const { rows, notes } = totalsSummary(props.totals, props.itemCount, props.place);
  return (
    <div class="totals">
      <dl>
        {rows.map((row) => (
          <div key={`${row.kind}-${row.label}`} class={`totals-row ${row.kind}`}>
            <dt>{row.label}</dt>
            <dd>{row.value}</dd>
          </div>
        ))}
      </dl>
      {notes.map((note) => (
        <p key={note} class="muted totals-note">
          {note}
        </p>
      ))}
    </div>
  );
}

/**
 * What the server changed in the cart on its own, such as a shipping method it no longer offers.
 * Always on the page, so that a screen reader hears a notice the moment it appears.
 */
export function CartNotices({ notices }: { notices: Cart["notices"] }) {
  return (
    <div role="status" class="notices">
      {notices.map((notice, index) => (
        // A code may come twice (two lines capped when a guest cart joins the account's).
        <p key={`${notice.code}-${index}`} class="notice notice-warn">
          {notice.message}
        </p>
      ))}
    </div>
  );
}

/** An address as a parcel label prints it. */
export function PostalAddress({ address }: { address: Address }) {
  const lines = [
    address.name,
    address.line1,
    address.line2,
    [address.postal_code, address.city].join(" "),
    address.region,
    countryName(address.country),
    address.phone,
  ].filter((line): line is string => Boolean(line));
  return (
    <address>
      {lines.map((line) => (
        <span key={line} class="address-line">
          {line}
        </span>
      ))}
    </address>
  );
}
