// The orders screens of the back office, and the owner's staff, API key and audit screens.
import { ApiKeys } from "./pages/ApiKeys";
import { AuditLog } from "./pages/AuditLog";
import { OrderDetail } from "./pages/OrderDetail";
import { Orders } from "./pages/Orders";
import { Staff } from "./pages/Staff";
import { type Screen, under } from "./screens";

const orderPath = /^\/admin\/orders\/([^/]+)$/;

function orderId(path: string): string {
  const segment = orderPath.exec(path)?.[1] ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const ordersScreens: Screen[] = [
  {
    nav: "Orders",
    href: "/admin/orders",
    needs: "read_orders",
    // Exactly the list: the first screen that matches is shown, and an order's page is the next one.
    matches: (path) => path === "/admin/orders",
    render: ({ url }) => <Orders url={url} />,
  },
  {
    href: "/admin/orders",
    needs: "read_orders",
    matches: (path) => orderPath.test(path),
    render: ({ session, path }) => <OrderDetail id={orderId(path)} session={session} />,
  },
  {
    nav: "Staff",
    href: "/admin/staff",
    needs: "manage_staff",
    matches: under("/admin/staff"),
    render: ({ url }) => <Staff url={url} />,
  },
  {
    nav: "API keys",
    href: "/admin/api-keys",
    needs: "manage_staff",
    matches: under("/admin/api-keys"),
    render: ({ url }) => <ApiKeys url={url} />,
  },
  {
    nav: "Audit log",
    href: "/admin/audit",
    needs: "manage_staff",
    matches: under("/admin/audit"),
    render: ({ url }) => <AuditLog url={url} />,
  },
];
