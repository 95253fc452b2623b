// The catalog: every product, searched, filtered, sorted and paged by the server, and the
// categories products are filed under.
import { useState } from "preact/hooks";
import { type Schemas, type Session, api, call } from "../api";
import { useLoad, useSubmit } from "../forms";
import { may } from "../roles";
import { Field, FilterForm, Notice, PageTitle, Select, Table, dateTime, money } from "../ui";
import { type Category, loadCategories } from "./ProductFields";

type Sort = "name" | "-name" | "created_at" | "-created_at" | "-updated_at";
const SORTS: Array<[Sort, string]> = [
  ["-updated_at", "Recently updated"],
  ["name", "Name, A to Z"],
  ["-name", "Name, Z to A"],
  ["-created_at", "Newest"],
  ["created_at", "Oldest"],
];

function query(params: URLSearchParams) {
  const sort = params.get("sort");
  const active = params.get("active");
  const page = Number(params.get("page"));
  const limit = Number(params.get("limit"));
  return {
    q: params.get("q")?.trim() || undefined,
    active: active === "true" ? true : active === "false" ? false : undefined,
    category_id: params.get("category_id") || undefined,
    sort: SORTS.find(([value]) => value === sort)?.[0],
    page: Number.isInteger(page) && page >= 1 ? page : undefined,
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : undefined,
  };
}

export function Products({ session, url }: { session: Session; url: URL }) {
  const canManage = may(session.role, "manage_shop");
  const q = query(url.searchParams);
  const products = useLoad(() => call(api.GET("/api/v1/admin/products", { params: { query: q } })), [url.search]);
  const categories = useLoad(loadCategories, []);
  const page = products.data;

  return (
    <>
      <PageTitle>Products</PageTitle>
      {canManage && (
        <p class="actions">
          <a class="button" href="/admin/products/new">
            New product
          </a>
        </p>
      )}
      <Filters key={url.search} url={url} categories={categories.data ?? []} />
      {products.failure && <Notice kind="error">{products.failure}</Notice>}
      {page && (
        <Table
          caption={`Products (${page.total})`}
          url={url}
          sort={q.sort ?? "-updated_at"}
          page={{ page: page.page, total_pages: page.total_pages, total: page.total }}
          rows={page.items}
          rowKey={(p) => p.id}
          columns={[
            {
              label: "Image",
              render: (p) => (p.image_url ? <img class="thumb" src={p.image_url} alt={p.name} /> : "—"),
            },
            { label: "Name", sort: "name", render: (p) => <a href={`/admin/products/${p.id}`}>{p.name}</a> },
            { label: "Slug", render: (p) => p.slug },
            { label: "Status", render: (p) => <span class="badge">{p.active ? "Active" : "Inactive"}</span> },
            { label: "Variants", numeric: true, render: (p) => p.variants },
            { label: "Available", numeric: true, render: (p) => p.available },
            { label: "Price from", numeric: true, render: (p) => money(p.price_from) },
            { label: "Updated", render: (p) => dateTime(p.updated_at) },
          ]}
        />
      )}
      <Categories
        categories={categories.data}
        failure={categories.failure}
        canManage={canManage}
        onCreated={(category) =>
          categories.setData([...(categories.data ?? []), category].sort((a, b) => a.name.localeCompare(b.name)))
        }
      />
    </>
  );
}

function Filters({ url, categories }: { url: URL; categories: Category[] }) {
  const params = url.searchParams;
  const [q, setQ] = useState(params.get("q") ?? "");
  const [active, setActive] = useState(params.get("active") ?? "");
  const [category, setCategory] = useState(params.get("category_id") ?? "");
  const [sort, setSort] = useState(params.get("sort") ?? "-updated_at");
  return (
    <FilterForm url={url}>
      <Field name="q" label="Search" type="search" hint="Name or slug." maxLength={100} value={q} onValue={setQ} />
      <Select
        name="active"
        label="Status"
        value={active}
        options={[
          ["", "Any"],
          ["true", "Active"],
          ["false", "Inactive"],
        ]}
        onValue={setActive}
      />
      <Select
        name="category_id"
        label="Category"
        value={category}
        options={[["", "Any"], ...categories.map((c): [string, string] => [c.id, c.name])]}
        onValue={setCategory}
      />
      <Select name="sort" label="Sort by" value={sort} options={SORTS} onValue={setSort} />
    </FilterForm>
  );
}

interface CategoriesProps {
  categories: Category[] | undefined;
  failure: string | null;
  canManage: boolean;
  onCreated: (category: Schemas["Category"]) => void;
}

function Categories({ categories, failure, canManage, onCreated }: CategoriesProps) {
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const form = useSubmit(
    async () => {
      const category = await call(api.POST("/api/v1/admin/categories", { body: { name, slug } }));
      onCreated(category);
      setName("");
      setSlug("");
      return `The category ${category.name} is created.`;
    },
    { prefix: "category-", inputs: ["name", "slug"] },
  );
  return (
    <section aria-labelledby="categories-heading">
      <h2 id="categories-heading">Categories</h2>
      {failure && <Notice kind="error">{failure}</Notice>}
      {categories &&
        (categories.length === 0 ? (
          <p>No categories yet.</p>
        ) : (
          <ul class="statuses">
            {categories.map((c) => (
              <li key={c.id}>
                {c.name} <span class="badge">{c.slug}</span>
              </li>
            ))}
          </ul>
        ))}
      {canManage && (
        <form onSubmit={form.submit} noValidate aria-label="New category">
          <h3>New category</h3>
          {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
          <div class="row-fields">
            <Field name="category-name" label="Category name" required value={name} onValue={setName} errors={form.errors} />
            <Field
              name="category-slug"
              label="Category slug"
              required
              hint="Lower-case letters and digits joined by hyphens."
              value={slug}
              onValue={setSlug}
              errors={form.errors}
            />
          </div>
          <button type="submit" disabled={form.busy}>
            Create category
          </button>
        </form>
      )}
    </section>
  );
}
