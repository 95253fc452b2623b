// Sorting a refusal into the messages shown beside the form's inputs and the one shown above it.
import { ApiError, type Role, messageOf } from "../api";

export interface Refusal {
  errors: Record<string, string>;
  failure: string | null;
}

/** The server's message for each of `inputs` it named (as `rename` calls it), and any other
 * failure as a sentence. */
export function refusal(error: unknown, inputs: string[], rename: (field: string) => string = (field) => field): Refusal {
  const fields = error instanceof ApiError ? error.fields : {};
  const errors: Record<string, string> = {};
  let unplaced = Object.keys(fields).length === 0;
  for (const [field, message] of Object.entries(fields)) {
    const input = rename(field);
    if (inputs.includes(input)) errors[input] = message;
    else unplaced = true;
  }
  return { errors, failure: unplaced ? messageOf(error) : null };
}

export const roles: Record<Role, string> = {
  owner: "Owner",
  manager: "Manager",
  fulfilment: "Fulfilment",
  viewer: "Viewer",
};

export const roleOptions = Object.entries(roles) as Array<[Role, string]>;
