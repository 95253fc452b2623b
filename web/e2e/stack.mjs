// Where the native stack that scripts/stack started listens, from target/stack/env.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));

export const stack = Object.fromEntries(
  readFileSync(`${root}target/stack/env`, "utf8")
    .split("\n")
    .filter((line) => line.includes("="))
    .map((line) => {
      const at = line.indexOf("=");
      return [line.slice(0, at), line.slice(at + 1).replace(/^"|"$/g, "")];
    }),
);

export const SHOP = stack.STACK_URL;
