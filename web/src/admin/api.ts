// The back office's view of the API: one openapi-fetch client that sends the session's CSRF
// token with every write, and errors that name the field at fault.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "../api/schema";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type Session = Schemas["SessionView"];
export type Role = Schemas["Role"];

let csrfToken: string | null = null;
let onSessionEnded: () => void = () => {};

/** Remembers the session's CSRF token, which every write made with the cookie must send. */
export function useCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** What to do when the server says the session is over (idle, expired, logged out elsewhere). */
export function whenSessionEnds(callback: () => void): void {
  onSessionEnded = callback;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== "GET" && csrfToken) request.headers.set("X-CSRF-Token", csrfToken);
    return request;
  },
  onResponse({ request, response }) {
    const loggingIn = request.method === "POST" && new URL(request.url).pathname === "/api/v1/admin/session";
    if (response.status === 401 && !loggingIn) onSessionEnded();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf);

/** A refusal or failure, with the server's problem when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem?: Problem,
  ) {
    super(problem?.detail ?? problem?.title ?? (status === 0 ? "The shop could not be reached." : "The request failed."));
  }

  /** The message for each field the server named, by field name. */
  get fields(): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const error of this.problem?.errors ?? []) fields[error.field] = error.message;
    if (this.problem?.field && !fields[this.problem.field]) {
      const detail = this.problem.detail ?? this.problem.title;
      const prefix = `${this.problem.field}: `;
      fields[this.problem.field] = detail.startsWith(prefix) ? detail.slice(prefix.length) : detail;
    }
    return fields;
  }
}

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && "type" in value && "status" in value;
}

/** Unwraps an openapi-fetch call: its data, or an ApiError. */
export async function call<T>(pending: Promise<Outcome<T>>): Promise<T> {
  let outcome: Outcome<T>;
  try {
    outcome = await pending;
  } catch {
    throw new ApiError(0);
  }
  const { data, error, response } = outcome;
  if (response.ok) return data as T;
  throw new ApiError(response.status, isProblem(error) ? error : undefined);
}

/** The sentence to show for a failure that no field explains. */
export function messageOf(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  if (error.status === 0) return "The shop could not be reached. Check the connection and try again.";
  if (error.status >= 500) return "The server failed. Please try again in a moment.";
  return error.message;
}

/** A fresh key for a write that must not happen twice (a refund). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
