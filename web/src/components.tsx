import type { ComponentChildren } from "preact";
import { userMessage } from "./api/client";
import { type Money, formatMoney } from "./money";

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
