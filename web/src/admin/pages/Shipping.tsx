// Shipping settings: the zones countries belong to, and each zone's rates.
import { useState } from "preact/hooks";
import { type Schemas, type Session, api, call } from "../api";
import { Checkbox, type Currency, Reader, currencyOf, loadShopCurrency, moneyHint, useLoad, useShopCurrency, useSubmit } from "../forms";
import { may } from "../roles";
import { Field, Notice, PageTitle, Table, money } from "../ui";
import { Confirm } from "./Confirm";

type Zone = Schemas["AdminShippingZone"];
type Rate = Schemas["AdminShippingRate"];

const byName = (a: Zone, b: Zone) => a.name.localeCompare(b.name);

/** "fr, de be" as ["FR", "DE", "BE"]. */
function countries(text: string): Schemas["Country"][] {
  const codes = text
    .split(/[\s,;]+/)
    .map((code) => code.trim().toUpperCase())
    .filter(Boolean);
  return [...new Set(codes)] as Schemas["Country"][];
}

export function Shipping({ session, url }: { session: Session; url: URL }) {
  const canManage = may(session.role, "manage_shop");
  const currency = useShopCurrency();
  const zones = useLoad(async () => (await call(api.GET("/api/v1/admin/shipping-zones"))).items, []);
  const [removed, setRemoved] = useState<string | null>(null);
  const list = zones.data ?? [];
  const replace = (zone: Zone) => zones.setData((current = []) => current.map((z) => (z.id === zone.id ? zone : z)).sort(byName));

  return (
    <>
      <PageTitle>Shipping</PageTitle>
      <p>A country belongs to one zone at most; an address is offered its zone's active rates.</p>
      {zones.failure && <Notice kind="error">{zones.failure}</Notice>}
      {removed && <Notice kind="success">{removed}</Notice>}
      {zones.data && list.length === 0 && <p>No shipping zones yet: no address can be shipped to.</p>}
      {list.map((zone) => (
        <ZoneSection
          key={zone.id}
          zone={zone}
          url={url}
          canManage={canManage}
          currency={currency}
          onZone={replace}
          onDeleted={() => {
            setRemoved(`The zone ${zone.name} is deleted, with its rates.`);
            zones.setData((current = []) => current.filter((z) => z.id !== zone.id));
          }}
        />
      ))}
      {canManage && (
        <section aria-labelledby="new-zone-heading">
          <h2 id="new-zone-heading">New zone</h2>
          <ZoneForm onSaved={(zone) => zones.setData((current = []) => [...current, zone].sort(byName))} />
        </section>
      )}
    </>
  );
}

interface ZoneSectionProps {
  zone: Zone;
  url: URL;
  canManage: boolean;
  currency: Currency | undefined;
  onZone: (zone: Zone) => void;
  onDeleted: () => void;
}

function ZoneSection({ zone, url, canManage, currency, onZone, onDeleted }: ZoneSectionProps) {
  const headingId = `zone-${zone.id}`;
  const remove = useSubmit(async () => {
    await call(api.DELETE("/api/v1/admin/shipping-zones/{id}", { params: { path: { id: zone.id } } }));
    onDeleted();
  });
  const setRates = (rates: Rate[]) => onZone({ ...zone, rates });
  return (
    <section aria-labelledby={headingId} class="card">
      <h2 id={headingId}>{zone.name}</h2>
      <p>Countries: {zone.countries.join(", ")}</p>
      <Table
        caption={`Rates of ${zone.name}`}
        url={url}
        rows={zone.rates}
        rowKey={(r) => r.id}
        columns={[
          { label: "Name", render: (r) => r.name },
          { label: "Price", numeric: true, render: (r) => money(r.price) },
          { label: "Free from", numeric: true, render: (r) => money(r.free_above) },
          { label: "Per item", numeric: true, render: (r) => money(r.per_item) },
          { label: "Status", render: (r) => <span class="badge">{r.active ? "Active" : "Inactive"}</span> },
        ]}
      />
      {canManage && (
        <>
          <h3>Edit zone {zone.name}</h3>
          <ZoneForm zone={zone} onSaved={onZone} />
          {remove.outcome && <Notice kind={remove.outcome.kind}>{remove.outcome.text}</Notice>}
          <div class="actions">
            <Confirm
              action="Delete zone"
              name={`Delete zone ${zone.name}`}
              question={`Delete the zone ${zone.name} and its rates? Its countries will have no shipping.`}
              yes="Yes, delete"
              onConfirm={remove.submit}
            />
          </div>
          {zone.rates.map((rate) => (
            <div key={rate.id}>
              <h3>Rate {rate.name}</h3>
              <RateForm
                zoneId={zone.id}
                rate={rate}
                currency={currency ?? currencyOf(rate.price)}
                onSaved={(saved) => setRates(zone.rates.map((r) => (r.id === saved.id ? saved : r)))}
                onDeleted={() => setRates(zone.rates.filter((r) => r.id !== rate.id))}
              />
            </div>
          ))}
          <h3>Add a rate to {zone.name}</h3>
          <RateForm zoneId={zone.id} currency={currency} onSaved={(rate) => setRates([...zone.rates, rate])} />
        </>
      )}
    </section>
  );
}

function ZoneForm({ zone, onSaved }: { zone?: Zone; onSaved: (zone: Zone) => void }) {
  const prefix = zone ? `zone-${zone.id}.` : "new-zone.";
  const [name, setName] = useState(zone?.name ?? "");
  const [codes, setCodes] = useState(zone?.countries.join(", ") ?? "");
  const form = useSubmit(
    async () => {
      const body = { name, countries: countries(codes) };
      if (zone) {
        onSaved(await call(api.PATCH("/api/v1/admin/shipping-zones/{id}", { params: { path: { id: zone.id } }, body })));
        return "The zone is saved.";
      }
      const created = await call(api.POST("/api/v1/admin/shipping-zones", { body }));
      setName("");
      setCodes("");
      onSaved(created);
      return `The zone ${created.name} is created.`;
    },
    { prefix, inputs: ["name", "countries"] },
  );
  return (
    <form onSubmit={form.submit} noValidate aria-label={zone ? `Edit zone ${zone.name}` : "New zone"}>
      {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
      <div class="row-fields">
        <Field name={`${prefix}name`} label="Zone name" required value={name} onValue={setName} errors={form.errors} />
        <Field
          name={`${prefix}countries`}
          label="Countries"
          required
          hint="ISO codes separated by commas, such as FR, DE, BE."
          value={codes}
          onValue={setCodes}
          errors={form.errors}
        />
      </div>
      <button type="submit" disabled={form.busy}>
        {zone ? "Save zone" : "Create zone"}
      </button>
    </form>
  );
}

interface RateFormProps {
  zoneId: string;
  rate?: Rate;
  currency: Currency | undefined;
  onSaved: (rate: Rate) => void;
  onDeleted?: () => void;
}

function RateForm({ zoneId, rate, currency, onSaved, onDeleted }: RateFormProps) {
  const prefix = rate ? `rate-${rate.id}.` : `new-rate-${zoneId}.`;
  const [name, setName] = useState(rate?.name ?? "");
  const [price, setPrice] = useState(rate?.price.decimal ?? "");
  const [freeAbove, setFreeAbove] = useState(rate?.free_above?.decimal ?? "");
  const [perItem, setPerItem] = useState(rate?.per_item?.decimal ?? "");
  const [active, setActive] = useState(rate?.active ?? true);
  const form = useSubmit(
    async () => {
      const reader = new Reader();
      const inShop = currency ?? (await loadShopCurrency());
      const body = {
        name,
        price: reader.requiredMoney("price", price, inShop),
        // Emptied, these remove the threshold and the charge per item.
        free_above: reader.money("free_above", freeAbove, inShop),
        per_item: reader.money("per_item", perItem, inShop),
        active,
      };
      reader.done();
      if (rate) {
        onSaved(await call(api.PATCH("/api/v1/admin/shipping-rates/{id}", { params: { path: { id: rate.id } }, body })));
        return "The rate is saved.";
      }
      const created = await call(
        api.POST("/api/v1/admin/shipping-zones/{id}/rates", { params: { path: { id: zoneId } }, body }),
      );
      setName("");
      setPrice("");
      setFreeAbove("");
      setPerItem("");
      setActive(true);
      onSaved(created);
      return `The rate ${created.name} is added.`;
    },
    { prefix, inputs: ["name", "price", "free_above", "per_item", "active"] },
  );
  const remove = useSubmit(async () => {
    if (!rate) return;
    await call(api.DELETE("/api/v1/admin/shipping-rates/{id}", { params: { path: { id: rate.id } } }));
    onDeleted?.();
  });
  return (
    <form onSubmit={form.submit} noValidate aria-label={rate ? `Edit rate ${rate.name}` : "New rate"}>
      {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
      {remove.outcome && <Notice kind={remove.outcome.kind}>{remove.outcome.text}</Notice>}
      <div class="row-fields">
        <Field name={`${prefix}name`} label="Rate name" required hint="Such as Standard or Express." value={name} onValue={setName} errors={form.errors} />
        <Field name={`${prefix}price`} label="Price" required inputMode="decimal" hint={moneyHint(currency)} value={price} onValue={setPrice} errors={form.errors} />
        <Field
          name={`${prefix}free_above`}
          label="Free from subtotal"
          inputMode="decimal"
          hint="Optional: carts at or above it ship for nothing."
          value={freeAbove}
          onValue={setFreeAbove}
          errors={form.errors}
        />
        <Field
          name={`${prefix}per_item`}
          label="Per item"
          inputMode="decimal"
          hint="Optional: added for every unit."
          value={perItem}
          onValue={setPerItem}
          errors={form.errors}
        />
      </div>
      <Checkbox name={`${prefix}active`} label="Active (offered to shoppers)" checked={active} onChecked={setActive} errors={form.errors} />
      <div class="actions">
        <button type="submit" disabled={form.busy}>
          {rate ? "Save rate" : "Add rate"}
        </button>
        {rate && (
          <Confirm
            action="Delete rate"
            name={`Delete rate ${rate.name}`}
            question={`Delete the rate ${rate.name}? Deactivating it keeps it for later.`}
            yes="Yes, delete"
            onConfirm={remove.submit}
          />
        )}
      </div>
    </form>
  );
}
