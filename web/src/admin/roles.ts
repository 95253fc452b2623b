// What each role may do, as the server's table (api/src/http/access.rs) grants it: the app hides
// what a role may not do; the server refuses it anyway.
import type { Role } from "./api";

export type Capability = "read_orders" | "ship_orders" | "read_shop" | "manage_shop" | "manage_staff";

export function may(role: Role, capability: Capability): boolean {
  switch (role) {
    case "owner":
      return true;
    case "manager":
      return capability !== "manage_staff";
    case "fulfilment":
      return capability === "read_orders" || capability === "ship_orders";
    case "viewer":
      return capability === "read_orders" || capability === "read_shop";
  }
}

export const roles: Record<Role, string> = {
  owner: "Owner",
  manager: "Manager",
  fulfilment: "Fulfilment",
  viewer: "Viewer",
};

export const roleOptions = Object.entries(roles) as Array<[Role, string]>;
