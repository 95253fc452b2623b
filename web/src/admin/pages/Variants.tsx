// A product's variants in the editor: their table, each one's price, sale and stock, and a form
// to add another.
import { useState } from "preact/hooks";
import { type Schemas, api, call } from "../api";
import { Checkbox, Reader, currencyOf, loadShopCurrency, moneyHint, useShopCurrency, useSubmit } from "../forms";
import { Field, Notice, Select, Table, money } from "../ui";
import { VARIANT_FIELDS, VariantFields, emptyVariant, variantBody } from "./ProductFields";

type Product = Schemas["AdminProduct"];
type Variant = Schemas["AdminVariant"];

interface VariantsProps {
  product: Product;
  url: URL;
  canManage: boolean;
  onVariant: (variant: Variant) => void;
}

export function Variants({ product, url, canManage, onVariant }: VariantsProps) {
  return (
    <section aria-labelledby="variants-heading">
      <h2 id="variants-heading">Variants</h2>
      <Table
        caption={`Variants of ${product.name}`}
        url={url}
        rows={product.variants}
        rowKey={(v) => v.id}
        columns={[
          { label: "SKU", render: (v) => v.sku },
          { label: "Title", render: (v) => v.title },
          { label: "Price", numeric: true, render: (v) => money(v.price) },
          { label: "Compare-at price", numeric: true, render: (v) => money(v.compare_at_price) },
          { label: "On hand", numeric: true, render: (v) => v.stock_on_hand },
          { label: "Reserved", numeric: true, render: (v) => v.stock_reserved },
          { label: "Available", numeric: true, render: (v) => v.available },
          { label: "Status", render: (v) => <span class="badge">{v.active ? "Active" : "Inactive"}</span> },
        ]}
      />
      {canManage &&
        product.variants.map((variant) => (
          <div class="card" key={variant.id}>
            <h3>
              Variant {variant.sku} ({variant.title})
            </h3>
            <VariantEditor variant={variant} onSaved={onVariant} />
            <StockForm variant={variant} onSaved={onVariant} />
          </div>
        ))}
    </section>
  );
}

function VariantEditor({ variant, onSaved }: { variant: Variant; onSaved: (variant: Variant) => void }) {
  const currency = currencyOf(variant.price);
  const prefix = `variant-${variant.id}.`;
  const [title, setTitle] = useState(variant.title);
  const [price, setPrice] = useState(variant.price.decimal);
  const [compareAt, setCompareAt] = useState(variant.compare_at_price?.decimal ?? "");
  const [active, setActive] = useState(variant.active);
  const form = useSubmit(
    async () => {
      const reader = new Reader();
      const body = {
        title,
        price: reader.requiredMoney("price", price, currency),
        // Emptied, the compare-at price ends the sale.
        compare_at_price: reader.money("compare_at_price", compareAt, currency),
        active,
      };
      reader.done();
      const saved = await call(api.PATCH("/api/v1/admin/variants/{id}", { params: { path: { id: variant.id } }, body }));
      onSaved(saved);
      return `Variant ${saved.sku} is saved.`;
    },
    { prefix, inputs: ["title", "price", "compare_at_price", "active"] },
  );
  return (
    <form onSubmit={form.submit} noValidate aria-label={`Edit variant ${variant.sku}`}>
      {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
      <div class="row-fields">
        <Field name={`${prefix}title`} label="Title" value={title} onValue={setTitle} errors={form.errors} />
        <Field name={`${prefix}price`} label="Price" inputMode="decimal" hint={moneyHint(currency)} value={price} onValue={setPrice} errors={form.errors} />
        <Field
          name={`${prefix}compare_at_price`}
          label="Compare-at price"
          inputMode="decimal"
          hint="Empty: not on sale."
          value={compareAt}
          onValue={setCompareAt}
          errors={form.errors}
        />
      </div>
      <Checkbox name={`${prefix}active`} label="Active (shoppers can buy it)" checked={active} onChecked={setActive} errors={form.errors} />
      <button type="submit" disabled={form.busy}>
        Save variant
      </button>
    </form>
  );
}

function StockForm({ variant, onSaved }: { variant: Variant; onSaved: (variant: Variant) => void }) {
  const prefix = `stock-${variant.id}.`;
  const [mode, setMode] = useState<"delta" | "on_hand">("delta");
  const [units, setUnits] = useState("");
  const form = useSubmit(
    async () => {
      const reader = new Reader();
      const value = reader.integer("units", units);
      if (!units.trim()) reader.errors.units = "Enter a number of units.";
      reader.done();
      const body = mode === "delta" ? { delta: value ?? 0 } : { on_hand: value ?? 0 };
      const saved = await call(api.POST("/api/v1/admin/variants/{id}/stock", { params: { path: { id: variant.id } }, body }));
      onSaved(saved);
      setUnits("");
      return `Stock of ${saved.sku}: ${saved.stock_on_hand} on hand, ${saved.available} available.`;
    },
    { prefix, inputs: ["units"], alias: (field) => (field === "delta" || field === "on_hand" ? "units" : field) },
  );
  return (
    <form onSubmit={form.submit} noValidate aria-label={`Adjust stock of ${variant.sku}`}>
      {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
      <div class="row-fields">
        <Select
          name={`${prefix}mode`}
          label="Change"
          value={mode}
          options={[
            ["delta", "Add or remove units"],
            ["on_hand", "Set the count on hand"],
          ]}
          onValue={(value) => setMode(value as "delta" | "on_hand")}
        />
        <Field
          name={`${prefix}units`}
          label={mode === "delta" ? "Adjust stock by" : "Count on hand"}
          type="number"
          step={1}
          hint={
            mode === "delta"
              ? `Negative to remove units. ${variant.stock_on_hand} on hand, ${variant.stock_reserved} reserved.`
              : `Not below the ${variant.stock_reserved} units reserved.`
          }
          value={units}
          onValue={setUnits}
          errors={form.errors}
        />
      </div>
      <button type="submit" disabled={form.busy}>
        Adjust stock
      </button>
    </form>
  );
}

export function AddVariant({ product, onAdded }: { product: Product; onAdded: (variant: Variant) => void }) {
  const shop = useShopCurrency();
  const first = product.variants[0];
  // A product's variants share one currency: the first one's, or the shop's for the first.
  const currency = first ? currencyOf(first.price) : shop;
  const [draft, setDraft] = useState(emptyVariant);
  const form = useSubmit(
    async () => {
      const reader = new Reader();
      const body = variantBody(reader, "", draft, currency ?? (await loadShopCurrency()), product.variants.length);
      reader.done();
      const variant = await call(api.POST("/api/v1/admin/products/{id}/variants", { params: { path: { id: product.id } }, body }));
      onAdded(variant);
      setDraft(emptyVariant());
      return `Variant ${variant.sku} is added.`;
    },
    { prefix: "new-variant.", inputs: VARIANT_FIELDS },
  );
  return (
    <section aria-labelledby="add-variant-heading">
      <h2 id="add-variant-heading">Add variant</h2>
      <form onSubmit={form.submit} noValidate aria-labelledby="add-variant-heading">
        {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
        <VariantFields prefix="new-variant." draft={draft} onDraft={setDraft} currency={currency} errors={form.errors} />
        <button type="submit" disabled={form.busy}>
          Add variant
        </button>
      </form>
    </section>
  );
}
