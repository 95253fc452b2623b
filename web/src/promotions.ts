// What to tell a shopper whose promotion code was refused: each refusal has its own problem type,
// and the server's detail names the code (and, for a minimum, the amount to reach).

import { ApiError } from "./api/client";
import { sentence } from "./address";

const PROMOTION = "urn:shop:problem:promotion-";

const MESSAGES: Record<string, string> = {
  unknown: "We do not know this code. Check it and try again.",
  expired: "This code has expired.",
  "not-yet-valid": "This code cannot be used yet.",
  exhausted: "This code has been used up.",
  "already-used": "This email has used this code already.",
};

/** The message for a refused code, or null when the failure is not a refusal of the code. */
export function promotionRefusal(error: unknown): string | null {
  if (!(error instanceof ApiError)) return null;
  const type = error.problem?.type ?? "";
  if (!type.startsWith(PROMOTION)) return null;
  const kind = type.slice(PROMOTION.length);
  // The minimum is the server's to state, in the shop's currency.
  if (kind === "minimum-not-met" && error.problem?.detail) return sentence(error.problem.detail.replace(/^code: /, ""));
  return MESSAGES[kind] ?? sentence(error.problem?.detail?.replace(/^code: /, "") ?? "This code cannot be used.");
}
