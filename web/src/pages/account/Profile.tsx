import { useEffect, useState } from "preact/hooks";
import type { Customer } from "../../account";
import { api, call } from "../../api/client";
import { ErrorNotice, Loading } from "../../components";
import { useShop } from "../../shop";
import { ChangePassword } from "./ChangePassword";
import { DownloadData } from "./DownloadData";
import { AccountPage, FormProblem, TextField, day, useAccountForm } from "./ui";

/** The account's page: who it is, the name and the marketing consent, the password, the shopper's data. */
export function ProfilePage() {
  const shop = useShop();
  const [customer, setCustomer] = useState<Customer | null>(shop.accounts.customer);
  const [error, setError] = useState<unknown>(null);
  const [fresh, setFresh] = useState(false);

  // The session's copy may be older than the account (changed on another device).
  useEffect(() => {
    call(api.GET("/api/v1/customers/me")).then((loaded) => {
      setCustomer(loaded);
      setFresh(true);
      shop.accounts.updateCustomer(loaded);
    }, setError);
  }, []);

  if (!customer) return error !== null ? <ErrorNotice error={error} /> : <Loading />;
  return (
    <AccountPage title="Your account" section="/account">
      {error !== null && <ErrorNotice error={error} />}
      <dl class="account-facts">
        <div>
          <dt>Email</dt>
          <dd>{customer.email}</dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>
            <time dateTime={customer.created_at}>{day(customer.created_at)}</time>
          </dd>
        </div>
      </dl>
      <ProfileForm
        // Anew once the account is loaded, so that the inputs start from it.
        key={fresh ? "fresh" : "session"}
        customer={customer}
        onSaved={(saved) => {
          setCustomer(saved);
          shop.accounts.updateCustomer(saved);
        }}
      />
      <ChangePassword />
      <section aria-labelledby="data-title" class="account-part">
        <h2 id="data-title">Your data</h2>
        <p>A copy of everything the shop keeps about you (your profile, addresses, orders and the emails we sent), as a JSON file.</p>
        <DownloadData />
        <p>
          <a href="/account/delete">Delete my account</a>
        </p>
      </section>
    </AccountPage>
  );
}

const FIELDS = ["name", "marketing_consent"] as const;

function ProfileForm({ customer, onSaved }: { customer: Customer; onSaved(customer: Customer): void }) {
  const [name, setName] = useState(customer.name ?? "");
  const [consent, setConsent] = useState(customer.marketing_consent.granted);
  const [saved, setSaved] = useState(false);
  const form = useAccountForm(FIELDS, (field) => `profile-${field}`);
  const { changed_at: changedAt, granted } = customer.marketing_consent;

  const save = (event: Event) => {
    setSaved(false);
    void form.submit(event, async () => {
      const updated = await call(
        api.PATCH("/api/v1/customers/me", { body: { name: name.trim() === "" ? null : name.trim(), marketing_consent: consent } }),
      );
      onSaved(updated);
      setSaved(true);
    });
  };

  const consentError = form.messages.marketing_consent;
  return (
    <section aria-labelledby="profile-title" class="account-part">
      <h2 id="profile-title">Profile</h2>
      <form onSubmit={save} noValidate aria-labelledby="profile-title">
        <TextField
          id="profile-name"
          name="name"
          label="Name (optional)"
          autoComplete="name"
          hint="How we address you in our emails."
          value={name}
          onValue={(value) => {
            setName(value);
            setSaved(false);
          }}
          message={form.messages.name}
        />
        <div class="field">
          {consentError && (
            <p id="profile-marketing_consent-error" class="field-error">
              <span class="visually-hidden">Error: </span>
              {consentError}
            </p>
          )}
          <label class="check">
            <input
              id="profile-marketing_consent"
              type="checkbox"
              name="marketing_consent"
              checked={consent}
              aria-invalid={consentError ? "true" : undefined}
              aria-describedby={["profile-consent-when", consentError ? "profile-marketing_consent-error" : ""].filter(Boolean).join(" ")}
              onChange={(e) => {
                setConsent(e.currentTarget.checked);
                setSaved(false);
              }}
            />
            Email me news and offers
          </label>
          <p id="profile-consent-when" class="hint">
            {changedAt
              ? `You ${granted ? "agreed" : "said no"} on ${day(changedAt)}. You can change your mind at any time.`
              : "You have not agreed. You can change your mind at any time."}
          </p>
        </div>
        <FormProblem text={form.problem} />
        <div class="actions">
          <button type="submit">{form.busy ? "Saving…" : "Save profile"}</button>
          <p role="status" class="saved">
            {saved ? "Saved." : ""}
          </p>
        </div>
      </form>
    </section>
  );
}
