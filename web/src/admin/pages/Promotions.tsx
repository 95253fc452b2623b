// Promotion codes: a percentage or an amount off, within a window and limits. A code's offer
// never changes once made, since orders name it; its window, limits and activity do.
import { useEffect, useRef, useState } from "preact/hooks";
import { type Schemas, type Session, api, call } from "../api";
import { type Currency, Hidden, Reader, loadShopCurrency, moneyHint, useLoad, useShopCurrency, useSubmit } from "../forms";
import { may } from "../roles";
import { Field, Notice, PageTitle, Select, Table, dateTime, money } from "../ui";
import { Confirm } from "./Confirm";
import { PromotionLimits } from "./PromotionLimits";

type Promotion = Schemas["AdminPromotion"];

/** An instant as a datetime-local value in UTC, the zone the back office shows times in. */
const utcInput = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().slice(0, 16) : "");

function offer(p: Promotion): string {
  if (p.percent_off_bp != null) return `${p.percent_off_bp / 100} % off`;
  if (p.amount_off) return `${money(p.amount_off)} off`;
  return "—";
}

export function Promotions({ session, url }: { session: Session; url: URL }) {
  const canManage = may(session.role, "manage_shop");
  const currency = useShopCurrency();
  const promotions = useLoad(async () => (await call(api.GET("/api/v1/admin/promotions"))).items, []);
  const [editing, setEditing] = useState<string | null>(null);
  const [removed, setRemoved] = useState<string | null>(null);
  const list = promotions.data ?? [];
  const current = list.find((p) => p.id === editing);

  return (
    <>
      <PageTitle>Promotions</PageTitle>
      {promotions.failure && <Notice kind="error">{promotions.failure}</Notice>}
      {removed && <Notice kind="success">{removed}</Notice>}
      {promotions.data && (
        <Table
          caption="Promotions, newest first"
          url={url}
          rows={list}
          rowKey={(p) => p.id}
          columns={[
            { label: "Code", render: (p) => <code>{p.code}</code> },
            { label: "Offer", render: offer },
            { label: "Minimum subtotal", numeric: true, render: (p) => money(p.min_subtotal) },
            { label: "Starts", render: (p) => (p.starts_at ? dateTime(p.starts_at) : "On creation") },
            { label: "Ends", render: (p) => (p.ends_at ? dateTime(p.ends_at) : "Never") },
            { label: "Redemptions", numeric: true, render: (p) => (p.max_redemptions ? `${p.redemptions} of ${p.max_redemptions}` : p.redemptions) },
            { label: "Once per email", render: (p) => (p.once_per_email ? "Yes" : "No") },
            { label: "Status", render: (p) => <span class="badge">{p.active ? "Active" : "Inactive"}</span> },
            ...(canManage
              ? [
                  {
                    label: "Actions",
                    render: (p: Promotion) => (
                      <button type="button" class="secondary" onClick={() => setEditing(p.id)}>
                        Edit<Hidden> {p.code}</Hidden>
                      </button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {canManage && current && (
        <EditPromotion
          key={current.id}
          promotion={current}
          currency={currency}
          onSaved={(saved) => promotions.setData((all = []) => all.map((p) => (p.id === saved.id ? saved : p)))}
          onDeleted={() => {
            setEditing(null);
            setRemoved(`The promotion ${current.code} is deleted.`);
            promotions.setData((all = []) => all.filter((p) => p.id !== current.id));
          }}
          onClose={() => setEditing(null)}
        />
      )}
      {canManage && <NewPromotion currency={currency} onCreated={(created) => promotions.setData((all = []) => [created, ...all])} />}
    </>
  );
}

interface EditProps {
  promotion: Promotion;
  currency: Currency | undefined;
  onSaved: (promotion: Promotion) => void;
  onDeleted: () => void;
  onClose: () => void;
}

function EditPromotion({ promotion, currency, onSaved, onDeleted, onClose }: EditProps) {
  const prefix = "promotion-edit.";
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const [minimum, setMinimum] = useState(promotion.min_subtotal?.decimal ?? "");
  const [starts, setStarts] = useState(utcInput(promotion.starts_at));
  const [ends, setEnds] = useState(utcInput(promotion.ends_at));
  const [max, setMax] = useState(promotion.max_redemptions == null ? "" : String(promotion.max_redemptions));
  const [oncePerEmail, setOncePerEmail] = useState(promotion.once_per_email);
  const [active, setActive] = useState(promotion.active);
  const form = useSubmit(
    async () => {
      const reader = new Reader();
      // Every optional field is sent, so that emptying one clears it.
      const body = {
        min_subtotal: reader.money("min_subtotal", minimum, currency ?? (await loadShopCurrency())),
        starts_at: reader.instant("starts_at", starts),
        ends_at: reader.instant("ends_at", ends),
        max_redemptions: reader.integer("max_redemptions", max),
        once_per_email: oncePerEmail,
        active,
      };
      reader.done();
      onSaved(await call(api.PATCH("/api/v1/admin/promotions/{id}", { params: { path: { id: promotion.id } }, body })));
      return `The promotion ${promotion.code} is saved.`;
    },
    { prefix, inputs: ["min_subtotal", "starts_at", "ends_at", "max_redemptions", "once_per_email", "active"] },
  );
  const remove = useSubmit(async () => {
    await call(api.DELETE("/api/v1/admin/promotions/{id}", { params: { path: { id: promotion.id } } }));
    onDeleted();
  });
  return (
    <section aria-labelledby="edit-promotion-heading" class="card">
      <h2 id="edit-promotion-heading" tabIndex={-1} ref={heading}>
        Edit promotion {promotion.code}
      </h2>
      <p>
        {offer(promotion)}; used by {promotion.redemptions} orders. The code and the offer cannot change: deactivate this one and
        make another instead.
      </p>
      <form onSubmit={form.submit} noValidate aria-labelledby="edit-promotion-heading">
        {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
        <PromotionLimits
          prefix={prefix}
          errors={form.errors}
          currency={currency}
          values={{ minimum, starts, ends, max, oncePerEmail, active }}
          set={{ setMinimum, setStarts, setEnds, setMax, setOncePerEmail, setActive }}
        />
        <div class="actions">
          <button type="submit" disabled={form.busy}>
            Save promotion
          </button>
          <button type="button" class="secondary" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
      {remove.outcome && <Notice kind={remove.outcome.kind}>{remove.outcome.text}</Notice>}
      <div class="actions">
        <Confirm
          action="Delete promotion"
          question={`Delete the promotion ${promotion.code}? This cannot be undone.`}
          yes="Yes, delete"
          onConfirm={remove.submit}
        />
        <span class="hint">Only a promotion no order used can be deleted.</span>
      </div>
    </section>
  );
}

function NewPromotion({ currency, onCreated }: { currency: Currency | undefined; onCreated: (promotion: Promotion) => void }) {
  const prefix = "promotion-new.";
  const [code, setCode] = useState("");
  const [kind, setKind] = useState<"percent" | "amount">("percent");
  const [off, setOff] = useState("");
  const [minimum, setMinimum] = useState("");
  const [starts, setStarts] = useState("");
  const [ends, setEnds] = useState("");
  const [max, setMax] = useState("");
  const [oncePerEmail, setOncePerEmail] = useState(false);
  const [active, setActive] = useState(true);
  const offField = kind === "percent" ? "percent_off_bp" : "amount_off";
  const form = useSubmit(
    async () => {
      const reader = new Reader();
      const inShop = currency ?? (await loadShopCurrency());
      const body = {
        code,
        ...(kind === "percent" ? { percent_off_bp: reader.percent(offField, off) } : { amount_off: reader.money(offField, off, inShop) }),
        min_subtotal: reader.money("min_subtotal", minimum, inShop),
        starts_at: reader.instant("starts_at", starts),
        ends_at: reader.instant("ends_at", ends),
        max_redemptions: reader.integer("max_redemptions", max),
        once_per_email: oncePerEmail,
        active,
      };
      if (!off.trim()) reader.errors[offField] = "Enter the discount.";
      reader.done();
      const created = await call(api.POST("/api/v1/admin/promotions", { body }));
      onCreated(created);
      for (const clear of [setCode, setOff, setMinimum, setStarts, setEnds, setMax]) clear("");
      setOncePerEmail(false);
      setActive(true);
      return `The promotion ${created.code} is created.`;
    },
    { prefix, inputs: ["code", offField, "min_subtotal", "starts_at", "ends_at", "max_redemptions", "once_per_email", "active"] },
  );
  return (
    <section aria-labelledby="new-promotion-heading">
      <h2 id="new-promotion-heading">New promotion</h2>
      <form onSubmit={form.submit} noValidate aria-labelledby="new-promotion-heading">
        {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
        <div class="row-fields">
          <Field
            name={`${prefix}code`}
            label="Code"
            required
            autoComplete="off"
            hint="3 to 32 letters, digits, hyphens or underscores; shoppers may type it in any case."
            value={code}
            onValue={setCode}
            errors={form.errors}
          />
          <Select
            name={`${prefix}kind`}
            label="Discount type"
            value={kind}
            options={[
              ["percent", "Percentage off"],
              ["amount", "Amount off"],
            ]}
            onValue={(value) => setKind(value as "percent" | "amount")}
          />
          <Field
            name={`${prefix}${offField}`}
            label={kind === "percent" ? "Percent off (%)" : "Amount off"}
            required
            inputMode="decimal"
            hint={kind === "percent" ? "Such as 10 or 12.5." : `${moneyHint(currency)} Never more than the subtotal.`}
            value={off}
            onValue={setOff}
            errors={form.errors}
          />
        </div>
        <PromotionLimits
          prefix={prefix}
          errors={form.errors}
          currency={currency}
          values={{ minimum, starts, ends, max, oncePerEmail, active }}
          set={{ setMinimum, setStarts, setEnds, setMax, setOncePerEmail, setActive }}
        />
        <button type="submit" disabled={form.busy}>
          Create promotion
        </button>
      </form>
    </section>
  );
}
