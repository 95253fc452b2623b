// Every screen of the back office but the dashboard: where it is, what its role must allow, and
// what it shows. The side navigation lists those with a `nav` name that the role may use.
import type { JSX } from "preact";
import type { Session } from "./api";
import type { Capability } from "./roles";
import { catalogScreens } from "./screens-catalog";
import { ordersScreens } from "./screens-orders";

export interface ScreenProps {
  session: Session;
  url: URL;
  /** The address's path, without a trailing slash. */
  path: string;
}

export interface Screen {
  nav?: string;
  href: string;
  needs: Capability;
  matches: (path: string) => boolean;
  render: (props: ScreenProps) => JSX.Element;
}

/** A screen at `prefix` and the paths under it. */
export function under(prefix: string): (path: string) => boolean {
  return (path) => path === prefix || path.startsWith(`${prefix}/`);
}

export const screens: Screen[] = [...ordersScreens, ...catalogScreens];
