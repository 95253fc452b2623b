// Staff for the back-office tests: made on the command line, as an operator does on the server,
// and logged in through the admin app.

import { execFileSync } from "node:child_process";
import { stack } from "../../harness/stack.mjs";

/** `shop-api staff create`, as an operator runs it on the server; answers what it printed. */
export function createStaff(email, role, password) {
  const args = ["staff", "create", "--email", email, "--role", role];
  if (password) args.push("--password-stdin");
  return execFileSync(stack.STACK_API_BINARY, args, {
    input: password ? `${password}\n` : "",
    env: { PATH: process.env.PATH, DATABASE_URL: stack.STACK_DATABASE_URL, RUST_LOG: "off" },
    encoding: "utf8",
  });
}

/** Logs in at the admin app of the shop at `shop`. */
export async function logInAt(shop, page, email, password) {
  await page.goto(`${shop}/admin`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}
