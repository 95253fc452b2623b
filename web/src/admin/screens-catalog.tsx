// The catalog screens of the back office: products and their editor, and the shop's shipping,
// tax and promotion settings.
import { ProductEdit, ProductNew } from "./pages/ProductEdit";
import { Products } from "./pages/Products";
import { Promotions } from "./pages/Promotions";
import { Shipping } from "./pages/Shipping";
import { TaxRates } from "./pages/TaxRates";
import { type Screen, under } from "./screens";

/** A product's own page: `/admin/products/new` or `/admin/products/{id}`. */
const productPage = /^\/admin\/products\/([^/]+)$/;

export const catalogScreens: Screen[] = [
  {
    nav: "Catalog",
    href: "/admin/products",
    needs: "read_shop",
    // Only the list: the editor's paths are the next screen's.
    matches: (path) => path === "/admin/products",
    render: ({ session, url }) => <Products session={session} url={url} />,
  },
  {
    href: "/admin/products/new",
    needs: "read_shop",
    matches: (path) => productPage.test(path),
    render: ({ session, url, path }) => {
      const id = decodeURIComponent(productPage.exec(path)?.[1] ?? "");
      return id === "new" ? <ProductNew session={session} /> : <ProductEdit session={session} id={id} url={url} />;
    },
  },
  {
    nav: "Shipping",
    href: "/admin/settings/shipping",
    needs: "read_shop",
    matches: under("/admin/settings/shipping"),
    render: ({ session, url }) => <Shipping session={session} url={url} />,
  },
  {
    nav: "Tax",
    href: "/admin/settings/tax",
    needs: "read_shop",
    matches: under("/admin/settings/tax"),
    render: ({ session, url }) => <TaxRates session={session} url={url} />,
  },
  {
    nav: "Promotions",
    href: "/admin/settings/promotions",
    needs: "read_shop",
    matches: under("/admin/settings/promotions"),
    render: ({ session, url }) => <Promotions session={session} url={url} />,
  },
];
