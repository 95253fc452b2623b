// The inputs a product and a variant are made of, shared by the new-product form, the product's
// edit form and the form that adds a variant.
import { type Schemas, api, call } from "../api";
import { type Currency, type Errors, Hidden, type MoneyInput, type Reader, TextArea, moneyHint } from "../forms";
import { Field, Select } from "../ui";

export type Category = Schemas["Category"];

/** Categories, alphabetically; revalidated so that one just created elsewhere shows. */
export async function loadCategories(): Promise<Category[]> {
  return (await call(api.GET("/api/v1/categories", { cache: "no-cache" }))).items;
}

export interface ImageDraft {
  key: number;
  url: string;
  alt: string;
}

export interface ProductDraft {
  name: string;
  slug: string;
  description: string;
  category_id: string;
  tax_class: Schemas["TaxClass"];
  images: ImageDraft[];
}

export interface VariantDraft {
  key: number;
  sku: string;
  title: string;
  price: string;
  compare_at_price: string;
  stock_on_hand: string;
}

let nextKey = 1;
/** A key that tells apart rows added and removed in a list. */
export const rowKey = () => nextKey++;

export const emptyVariant = (): VariantDraft => ({
  key: rowKey(),
  sku: "",
  title: "",
  price: "",
  compare_at_price: "",
  stock_on_hand: "0",
});

export const PRODUCT_FIELDS = ["name", "slug", "description", "category_id", "tax_class", "images"];
export const VARIANT_FIELDS = ["sku", "title", "price", "compare_at_price", "stock_on_hand"];

/** Whether a field the server names is one of the first `count` variants' inputs. */
export function isVariantInput(field: string, count: number): boolean {
  const match = /^variants\[(\d+)\]\.(\w+)$/.exec(field);
  return !!match && Number(match[1]) < count && VARIANT_FIELDS.includes(match[2] ?? "");
}

export function productDraft(product?: Schemas["AdminProduct"]): ProductDraft {
  return {
    name: product?.name ?? "",
    slug: product?.slug ?? "",
    description: product?.description ?? "",
    category_id: product?.category_id ?? "",
    tax_class: product?.tax_class ?? "standard",
    images: (product?.images ?? []).map((image) => ({ key: rowKey(), url: image.url, alt: image.alt })),
  };
}

/** Lower-case words joined by hyphens, as a slug must be. */
export function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/, "");
}

/** Whether the product form has an input for a field the server names. */
export function isProductInput(field: string): boolean {
  return PRODUCT_FIELDS.includes(field) || /^images\[\d+\]\.(url|alt)$/.test(field);
}

/** Only paths on this site and https addresses are previewed: the CSP refuses anything else. */
const previewable = (url: string) => /^\/[^/]/.test(url) || url.startsWith("https://");

interface ProductFieldsProps {
  draft: ProductDraft;
  onDraft: (draft: ProductDraft) => void;
  categories: Category[];
  errors: Errors;
  /** Set when the name should fill the slug in as it is typed (a new product). */
  onName?: (name: string) => void;
  /** Leaves out the buttons that add and remove images; a disabled fieldset around the form
   * disables the inputs. */
  readOnly?: boolean;
}

export function ProductFields({ draft, onDraft, categories, errors, onName, readOnly }: ProductFieldsProps) {
  const set = (changes: Partial<ProductDraft>) => onDraft({ ...draft, ...changes });
  const setImage = (index: number, changes: Partial<ImageDraft>) =>
    set({ images: draft.images.map((image, i) => (i === index ? { ...image, ...changes } : image)) });
  return (
    <>
      <Field name="name" label="Name" required value={draft.name} onValue={onName ?? ((name) => set({ name }))} errors={errors} />
      <Field
        name="slug"
        label="Slug"
        required
        hint="Lower-case letters and digits joined by hyphens; the product's address in the shop."
        value={draft.slug}
        onValue={(slug) => set({ slug })}
        errors={errors}
      />
      <TextArea name="description" label="Description" value={draft.description} onValue={(description) => set({ description })} errors={errors} />
      <Select
        name="category_id"
        label="Category"
        value={draft.category_id}
        options={[["", "No category"], ...categories.map((c): [string, string] => [c.id, c.name])]}
        onValue={(category_id) => set({ category_id })}
        errors={errors}
      />
      <Select
        name="tax_class"
        label="Tax class"
        value={draft.tax_class}
        options={[
          ["standard", "Standard rate"],
          ["reduced", "Reduced rate"],
        ]}
        onValue={(tax_class) => set({ tax_class: tax_class as Schemas["TaxClass"] })}
        errors={errors}
      />
      <fieldset aria-describedby={errors.images ? "field-images-error" : undefined}>
        <legend>Images</legend>
        {errors.images && (
          <p class="field-error" id="field-images-error">
            {errors.images}
          </p>
        )}
        {draft.images.length === 0 && <p class="hint">No images yet.</p>}
        {draft.images.map((image, index) => (
          <div class="row-fields" key={image.key}>
            <Field
              name={`images[${index}].url`}
              label={`Image ${index + 1} URL`}
              hint="A path on this site (/images/…) or an https address the shop allows."
              value={image.url}
              onValue={(url) => setImage(index, { url: url.trim() })}
              errors={errors}
            />
            <Field
              name={`images[${index}].alt`}
              label={`Image ${index + 1} alt text`}
              hint="What the picture shows, for people who cannot see it."
              value={image.alt}
              onValue={(alt) => setImage(index, { alt })}
              errors={errors}
            />
            {previewable(image.url) && <img class="preview" src={image.url} alt={image.alt || `Preview of image ${index + 1}`} />}
            {!readOnly && (
              <button type="button" class="secondary" onClick={() => set({ images: draft.images.filter((_, i) => i !== index) })}>
                Remove image<Hidden> {index + 1}</Hidden>
              </button>
            )}
          </div>
        ))}
        {!readOnly && (
          <button type="button" class="secondary" onClick={() => set({ images: [...draft.images, { key: rowKey(), url: "", alt: "" }] })}>
            Add image
          </button>
        )}
      </fieldset>
    </>
  );
}

/** The product as NewProductInput and ProductPatch take it. */
export function productBody(draft: ProductDraft) {
  return {
    name: draft.name,
    slug: draft.slug,
    description: draft.description,
    category_id: draft.category_id || null,
    tax_class: draft.tax_class,
    images: draft.images.map(({ url, alt }) => ({ url, alt })),
  };
}

interface VariantFieldsProps {
  /** Put before the API's field names: the inputs' ids and error keys (`variants[0].`). */
  prefix: string;
  draft: VariantDraft;
  onDraft: (draft: VariantDraft) => void;
  currency: Currency | undefined;
  errors: Errors;
}

export function VariantFields({ prefix, draft, onDraft, currency, errors }: VariantFieldsProps) {
  const set = (changes: Partial<VariantDraft>) => onDraft({ ...draft, ...changes });
  return (
    <div class="row-fields">
      <Field name={`${prefix}sku`} label="SKU" required value={draft.sku} onValue={(sku) => set({ sku })} errors={errors} autoComplete="off" />
      <Field name={`${prefix}title`} label="Title" required hint="Such as “M / Blue”." value={draft.title} onValue={(title) => set({ title })} errors={errors} />
      <Field name={`${prefix}price`} label="Price" required inputMode="decimal" hint={moneyHint(currency)} value={draft.price} onValue={(price) => set({ price })} errors={errors} />
      <Field
        name={`${prefix}compare_at_price`}
        label="Compare-at price"
        inputMode="decimal"
        hint="Optional: puts the variant on sale, shown struck through."
        value={draft.compare_at_price}
        onValue={(compare_at_price) => set({ compare_at_price })}
        errors={errors}
      />
      <Field
        name={`${prefix}stock_on_hand`}
        label="Stock"
        type="number"
        min={0}
        max={1000000}
        step={1}
        value={draft.stock_on_hand}
        onValue={(stock_on_hand) => set({ stock_on_hand })}
        errors={errors}
      />
    </div>
  );
}

/** The variant as NewVariantInput takes it; unreadable inputs are noted under `prefix`. The
 * server checks the rest, so that its own messages are the ones shown. */
export function variantBody(reader: Reader, prefix: string, draft: VariantDraft, currency: Currency | undefined, position: number) {
  const price = reader.requiredMoney(`${prefix}price`, draft.price, currency);
  const compare_at_price: MoneyInput | null = reader.money(`${prefix}compare_at_price`, draft.compare_at_price, currency);
  const stock = reader.integer(`${prefix}stock_on_hand`, draft.stock_on_hand);
  return { sku: draft.sku.trim(), title: draft.title, price, compare_at_price, stock_on_hand: stock ?? 0, position: Math.min(position, 10000) };
}
