import { useEffect, useState } from "preact/hooks";
import { type Schemas, api, call } from "../api/client";
import { ErrorNotice, Loading, Price } from "../components";
import { navigate } from "../router";

type Page = Schemas["ProductPage"];
type Category = Schemas["Category"];

const SORTS = [
  ["newest", "Newest"],
  ["price_asc", "Price: low to high"],
  ["price_desc", "Price: high to low"],
  ["name", "Name"],
] as const;
type Sort = (typeof SORTS)[number][0];

export function Catalog({ url }: { url: URL }) {
  const q = url.searchParams.get("q") ?? "";
  const category = url.searchParams.get("category") ?? "";
  const sort = (url.searchParams.get("sort") ?? "newest") as Sort;
  const page = Math.max(1, Number(url.searchParams.get("page") ?? "1") || 1);

  const [products, setProducts] = useState<Page | null>(null);
  const [categories, setCategories] = useState<Category[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [search, setSearch] = useState(q);

  useEffect(() => {
    call(api.GET("/api/v1/categories")).then((list) => setCategories(list.items), () => setCategories([]));
  }, []);

  useEffect(() => {
    setError(null);
    setProducts(null);
    const query = { limit: 12, page, sort, ...(q ? { q } : {}), ...(category ? { category } : {}) };
    call(api.GET("/api/v1/products", { params: { query } })).then(setProducts, setError);
  }, [q, category, sort, page, attempt]);

  const go = (changes: Record<string, string>) => {
    const next = new URLSearchParams(url.search);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!("page" in changes)) next.delete("page");
    const query = next.toString();
    navigate(query ? `/?${query}` : "/");
  };

  return (
    <section aria-labelledby="catalog-title">
      <h1 id="catalog-title">Shop</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          go({ q: search.trim() });
        }}
      >
        <label>
          Search
          <input type="search" name="q" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
        </label>
        <button type="submit">Search</button>
        <label>
          Category
          <select value={category} onChange={(e) => go({ category: e.currentTarget.value })}>
            <option value="">All</option>
            {categories.map((c) => (
              <option key={c.id} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sort by
          <select value={sort} onChange={(e) => go({ sort: e.currentTarget.value })}>
            {SORTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </form>

      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt(attempt + 1)} />
      ) : !products ? (
        <Loading />
      ) : products.items.length === 0 ? (
        <p>No products match.</p>
      ) : (
        <>
          <ul class="grid">
            {products.items.map((product) => (
              <li key={product.id} class="card">
                <a href={`/products/${product.slug}`}>
                  {product.image && <img src={product.image.url} alt={product.image.alt} width={320} height={320} loading="lazy" />}
                  <span class="card-name">{product.name}</span>
                </a>
                <span>
                  from <Price money={product.price_from} />
                </span>
                {!product.in_stock && <span class="badge">Out of stock</span>}
              </li>
            ))}
          </ul>
          <nav class="pager" aria-label="Pages">
            <button type="button" disabled={page <= 1} onClick={() => go({ page: String(page - 1) })}>
              Previous
            </button>
            <span>
              Page {products.page} of {products.total_exact ? Math.max(1, products.total_pages) : `${products.total_pages} or more`}
            </span>
            <button type="button" disabled={page >= products.total_pages} onClick={() => go({ page: String(page + 1) })}>
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
