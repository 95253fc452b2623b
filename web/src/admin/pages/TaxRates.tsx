// Tax settings: each country's standard and reduced rates; deliveries elsewhere are charged none.
import { useState } from "preact/hooks";
import { ApiError, type Schemas, type Session, api, call, messageOf } from "../api";
import { FormInvalid, Hidden, Reader, useLoad, useSubmit } from "../forms";
import { may } from "../roles";
import { Field, Notice, PageTitle, Table, dateTime } from "../ui";
import { Confirm } from "./Confirm";

type TaxRate = Schemas["TaxRateView"];

/** 2000 basis points as "20", 550 as "5.5". */
const percent = (bp: number) => String(bp / 100);

export function TaxRates({ session, url }: { session: Session; url: URL }) {
  const canManage = may(session.role, "manage_shop");
  const rates = useLoad(async () => (await call(api.GET("/api/v1/admin/tax-rates"))).items, []);
  const [country, setCountry] = useState("");
  const [name, setName] = useState("");
  const [standard, setStandard] = useState("");
  const [reduced, setReduced] = useState("");
  const list = rates.data ?? [];

  const form = useSubmit(
    async () => {
      const code = country.trim().toUpperCase();
      const reader = new Reader();
      if (!/^[A-Z]{2}$/.test(code)) reader.errors.country = "Enter a two-letter country code, such as FR.";
      const body = {
        name,
        standard_rate_bp: reader.percent("standard_rate_bp", standard) ?? 0,
        reduced_rate_bp: reader.percent("reduced_rate_bp", reduced),
      };
      if (!standard.trim()) reader.errors.standard_rate_bp = "Enter the standard rate.";
      reader.done();
      let saved: TaxRate;
      try {
        saved = await call(
          api.PUT("/api/v1/admin/tax-rates/{country}", { params: { path: { country: code as Schemas["Country"] } }, body }),
        );
      } catch (error) {
        // The only thing a 404 can be wrong about here is the country in the address.
        if (error instanceof ApiError && error.status === 404) throw new FormInvalid({ country: messageOf(error) });
        throw error;
      }
      rates.setData((current = []) =>
        [...current.filter((r) => r.country !== saved.country), saved].sort((a, b) => a.country.localeCompare(b.country)),
      );
      setCountry(saved.country);
      return `The rates of ${saved.country} are saved.`;
    },
    { prefix: "tax-", inputs: ["country", "name", "standard_rate_bp", "reduced_rate_bp"] },
  );

  const edit = (rate: TaxRate) => {
    setCountry(rate.country);
    setName(rate.name);
    setStandard(percent(rate.standard_rate_bp));
    setReduced(rate.reduced_rate_bp == null ? "" : percent(rate.reduced_rate_bp));
    document.getElementById("field-tax-country")?.focus();
  };

  const removal = useSubmit(async (rate: TaxRate) => {
    await call(api.DELETE("/api/v1/admin/tax-rates/{country}", { params: { path: { country: rate.country } } }));
    rates.setData((current = []) => current.filter((r) => r.country !== rate.country));
    return `The rates of ${rate.country} are deleted: deliveries there are charged no tax.`;
  });

  return (
    <>
      <PageTitle>Tax rates</PageTitle>
      <p>Deliveries to a country without rates are charged no tax. Placed orders keep the rates they were placed with.</p>
      {rates.failure && <Notice kind="error">{rates.failure}</Notice>}
      {removal.outcome && <Notice kind={removal.outcome.kind}>{removal.outcome.text}</Notice>}
      {rates.data && (
        <Table
          caption="Tax rates by country"
          url={url}
          rows={list}
          rowKey={(r) => r.country}
          columns={[
            { label: "Country", render: (r) => r.country },
            { label: "Tax", render: (r) => r.name },
            { label: "Standard rate", render: (r) => `${percent(r.standard_rate_bp)} % (${r.standard_label})` },
            {
              label: "Reduced rate",
              render: (r) => (r.reduced_rate_bp == null ? "—" : `${percent(r.reduced_rate_bp)} % (${r.reduced_label ?? ""})`),
            },
            { label: "Updated", render: (r) => dateTime(r.updated_at) },
            ...(canManage
              ? [
                  {
                    label: "Actions",
                    render: (r: TaxRate) => (
                      <span class="confirm">
                        <button type="button" class="secondary" onClick={() => edit(r)}>
                          Edit<Hidden> rates of {r.country}</Hidden>
                        </button>
                        <Confirm
                          action="Delete"
                          name={`Delete the rates of ${r.country}`}
                          question={`Delete the rates of ${r.country}? Deliveries there will be charged no tax.`}
                          yes="Yes, delete"
                          onConfirm={() => removal.submit(undefined, r)}
                        />
                      </span>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {canManage && (
        <section aria-labelledby="tax-form-heading">
          <h2 id="tax-form-heading">Set a country's rates</h2>
          <p>Saving replaces whatever rates the country had.</p>
          <form onSubmit={form.submit} noValidate aria-labelledby="tax-form-heading">
            {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
            <div class="row-fields">
              <Field
                name="tax-country"
                label="Country"
                required
                maxLength={2}
                hint="Two-letter ISO code, such as FR."
                value={country}
                onValue={(value) => setCountry(value.toUpperCase())}
                errors={form.errors}
              />
              <Field name="tax-name" label="Tax name" required hint="As receipts call it: VAT, GST, sales tax." value={name} onValue={setName} errors={form.errors} />
              <Field
                name="tax-standard_rate_bp"
                label="Standard rate (%)"
                required
                inputMode="decimal"
                hint="Such as 20."
                value={standard}
                onValue={setStandard}
                errors={form.errors}
              />
              <Field
                name="tax-reduced_rate_bp"
                label="Reduced rate (%)"
                inputMode="decimal"
                hint="Optional: for products of the reduced tax class, such as 5.5."
                value={reduced}
                onValue={setReduced}
                errors={form.errors}
              />
            </div>
            <button type="submit" disabled={form.busy}>
              Save rates
            </button>
          </form>
        </section>
      )}
    </>
  );
}
