import type { ComponentChildren } from "preact";
import { userMessage } from "./api/client";
import { type Money, formatMoney } from "./money";

export function Price({ money }: { money: Money }) {
  return <span class="price">{formatMoney(money)}</span>;
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
