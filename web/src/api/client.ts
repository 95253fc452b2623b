import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

export function makeClient(fetchImpl?: typeof fetch, baseUrl = "") {
  return createClient<paths>({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

export type Client = ReturnType<typeof makeClient>;

export const api: Client = makeClient();

/** Why a call failed, in terms the storefront can act on. */
export class ApiError extends Error {
  constructor(
    readonly kind: "network" | "server" | "client",
    readonly status: number,
    readonly problem?: Problem,
  ) {
    super(problem?.detail ?? problem?.title ?? kind);
  }

  get retryable(): boolean {
    return this.kind !== "client" || this.status === 429;
  }
}

/** A failure whose message is written for the shopper, saying what failed and what to do. */
export class ShopperError extends Error {}

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "type" in value && "status" in value;
}

/** Unwraps an openapi-fetch call: the data, or an ApiError. */
export async function call<T>(pending: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await pending;
  } catch {
    throw new ApiError("network", 0);
  }
  const { data, error, response } = outcome;
  if (response.ok && data !== undefined) return data;
  if (response.ok) return undefined as T;
  const problem = isProblem(error) ? error : undefined;
  throw new ApiError(response.status >= 500 ? "server" : "client", response.status, problem);
}

/** What to tell the shopper. */
export function userMessage(error: unknown): string {
  if (error instanceof ShopperError) return error.message;
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  if (error.kind === "network") return "We could not reach the shop. Check your connection and try again.";
  if (error.problem?.type === "urn:shop:problem:too-many-checkouts")
    return "You already have several checkouts waiting for payment. Pay for one, or try again in a few minutes.";
  if (error.status === 429) return "Too many requests at once. Please wait a moment and try again.";
  if (error.kind === "server") return "Something went wrong on our side. Please try again in a moment.";
  const shortages = error.problem?.shortages;
  if (shortages && shortages.length > 0) {
    const items = shortages.map((s) => `${s.sku} (${s.available} available)`).join(", ");
    return `Not enough stock for ${items}.`;
  }
  return error.problem?.detail ?? error.problem?.title ?? "The request was refused.";
}
