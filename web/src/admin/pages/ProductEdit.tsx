// The product editor: a new product with its first variants, or an existing one's details,
// availability and variants.
import { useState } from "preact/hooks";
import { type Schemas, type Session, api, call } from "../api";
import { Reader, loadShopCurrency, useLoad, useShopCurrency, useSubmit } from "../forms";
import { may } from "../roles";
import { navigate } from "../router";
import { Notice, PageTitle } from "../ui";
import {
  ProductFields,
  VariantFields,
  emptyVariant,
  isProductInput,
  isVariantInput,
  loadCategories,
  productBody,
  productDraft,
  slugify,
  variantBody,
} from "./ProductFields";
import { AddVariant, Variants } from "./Variants";

type Product = Schemas["AdminProduct"];

/** The name of the product just created, for the edit screen to say so once. */
let justCreated: string | null = null;

export function ProductNew({ session }: { session: Session }) {
  const currency = useShopCurrency();
  const categories = useLoad(loadCategories, []);
  const [draft, setDraft] = useState(productDraft());
  const [slugEdited, setSlugEdited] = useState(false);
  const [variants, setVariants] = useState([emptyVariant()]);

  const form = useSubmit(
    async () => {
      const reader = new Reader();
      const inShop = currency ?? (await loadShopCurrency());
      const body = {
        ...productBody(draft),
        variants: variants.map((variant, i) => variantBody(reader, `variants[${i}].`, variant, inShop, i)),
      };
      reader.done();
      const product = await call(api.POST("/api/v1/admin/products", { body }));
      justCreated = product.name;
      navigate(`/admin/products/${product.id}`);
    },
    // The server names a variant's field with its index (`variants[1].sku`), as the inputs are named.
    { inputs: (field) => isProductInput(field) || isVariantInput(field, variants.length) },
  );

  if (!may(session.role, "manage_shop"))
    return (
      <>
        <PageTitle>New product</PageTitle>
        <p>Your role ({session.role}) cannot create products.</p>
      </>
    );

  return (
    <>
      <p>
        <a href="/admin/products">All products</a>
      </p>
      <PageTitle>New product</PageTitle>
      {categories.failure && <Notice kind="error">Categories could not be loaded: {categories.failure}</Notice>}
      <form onSubmit={form.submit} noValidate aria-label="New product">
        {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
        <h2>Product</h2>
        <ProductFields
          draft={draft}
          onDraft={(next) => {
            if (next.slug !== draft.slug) setSlugEdited(true);
            setDraft(next);
          }}
          onName={(name) => setDraft({ ...draft, name, slug: slugEdited ? draft.slug : slugify(name) })}
          categories={categories.data ?? []}
          errors={form.errors}
        />
        <h2>Variants</h2>
        {variants.map((variant, index) => (
          <fieldset key={variant.key}>
            <legend>Variant {index + 1}</legend>
            <VariantFields
              prefix={`variants[${index}].`}
              draft={variant}
              onDraft={(next) => setVariants(variants.map((v, i) => (i === index ? next : v)))}
              currency={currency}
              errors={form.errors}
            />
            {variants.length > 1 && (
              <button type="button" class="secondary" onClick={() => setVariants(variants.filter((_, i) => i !== index))}>
                Remove variant {index + 1}
              </button>
            )}
          </fieldset>
        ))}
        <p>
          <button type="button" class="secondary" onClick={() => setVariants([...variants, emptyVariant()])}>
            Add another variant
          </button>
        </p>
        <div class="actions">
          <button type="submit" disabled={form.busy}>
            Create product
          </button>
        </div>
      </form>
    </>
  );
}

export function ProductEdit({ session, id, url }: { session: Session; id: string; url: URL }) {
  const canManage = may(session.role, "manage_shop");
  const loaded = useLoad(() => call(api.GET("/api/v1/admin/products/{id}", { params: { path: { id } } })), [id]);
  const categories = useLoad(loadCategories, []);
  const [created] = useState(() => {
    const name = justCreated;
    justCreated = null;
    return name;
  });
  const product = loaded.data;

  if (loaded.failure)
    return (
      <>
        <PageTitle>Product</PageTitle>
        <Notice kind="error">{loaded.failure}</Notice>
        <p>
          <a href="/admin/products">All products</a>
        </p>
      </>
    );
  if (!product) return <p class="loading">Loading…</p>;

  const replace = (next: Product) => loaded.setData(next);
  return (
    <>
      <p>
        <a href="/admin/products">All products</a>
      </p>
      <PageTitle>{product.name}</PageTitle>
      {created && <Notice kind="success">The product {created} is created.</Notice>}
      {categories.failure && <Notice kind="error">Categories could not be loaded: {categories.failure}</Notice>}
      <Details product={product} categories={categories.data} canManage={canManage} onSaved={replace} />
      <Availability product={product} canManage={canManage} onChange={replace} />
      <Variants
        product={product}
        url={url}
        canManage={canManage}
        onVariant={(variant) => replace({ ...product, variants: product.variants.map((v) => (v.id === variant.id ? variant : v)) })}
      />
      {canManage && <AddVariant product={product} onAdded={(variant) => replace({ ...product, variants: [...product.variants, variant] })} />}
    </>
  );
}

interface DetailsProps {
  product: Product;
  categories: Schemas["Category"][] | undefined;
  canManage: boolean;
  onSaved: (product: Product) => void;
}

function Details({ product, categories, canManage, onSaved }: DetailsProps) {
  const [draft, setDraft] = useState(() => productDraft(product));
  const form = useSubmit(
    async () => {
      const saved = await call(
        api.PATCH("/api/v1/admin/products/{id}", { params: { path: { id: product.id } }, body: productBody(draft) }),
      );
      onSaved(saved);
      return "The product is saved.";
    },
    { inputs: isProductInput },
  );
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <form onSubmit={form.submit} noValidate aria-labelledby="details-heading">
        {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
        <fieldset class="plain" disabled={!canManage}>
          <ProductFields draft={draft} onDraft={setDraft} categories={categories ?? []} errors={form.errors} readOnly={!canManage} />
        </fieldset>
        {canManage && (
          <div class="actions">
            <button type="submit" disabled={form.busy}>
              Save product
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

function Availability({ product, canManage, onChange }: { product: Product; canManage: boolean; onChange: (product: Product) => void }) {
  const id = product.id;
  // Deactivating is the document's DELETE; nothing is deleted, and PATCH turns it back on.
  const toggle = useSubmit(async () => {
    if (product.active) {
      await call(api.DELETE("/api/v1/admin/products/{id}", { params: { path: { id } } }));
      onChange({ ...product, active: false });
      return "The product is inactive: shoppers no longer see it.";
    }
    onChange(await call(api.PATCH("/api/v1/admin/products/{id}", { params: { path: { id } }, body: { active: true } })));
    return "The product is active: shoppers can see it.";
  });
  return (
    <section aria-labelledby="availability-heading">
      <h2 id="availability-heading">Availability</h2>
      {toggle.outcome && <Notice kind={toggle.outcome.kind}>{toggle.outcome.text}</Notice>}
      <p>{product.active ? "Active: shoppers can see and buy this product." : "Inactive: shoppers do not see this product."}</p>
      {canManage && (
        <div class="actions">
          <button type="button" onClick={() => void toggle.submit()} disabled={toggle.busy}>
            {product.active ? "Deactivate" : "Activate"}
          </button>
        </div>
      )}
    </section>
  );
}
