import { useState } from "preact/hooks";
import { problemSlug, signInRefusal } from "../../account";
import { ApiError } from "../../api/client";
import { orderReference } from "../../lookup";
import { navigate } from "../../router";
import { useShop } from "../../shop";
import { AccountPage, FormProblem, TextField, useAccountForm } from "./ui";

const FIELDS = ["password"] as const;

/** The orders that keep the account open: awaiting payment, or paid and not all shipped. */
function openOrders(error: unknown): string[] | null {
  if (problemSlug(error) !== "account-has-open-orders" || !(error instanceof ApiError)) return null;
  return error.problem?.order_ids ?? [];
}

/** Erasing the account, with the password again. Its orders stay, anonymised, for the shop's books. */
export function DeleteAccountPage() {
  const shop = useShop();
  const [password, setPassword] = useState("");
  const [open, setOpen] = useState<string[] | null>(null);
  const form = useAccountForm(FIELDS, () => "delete-password");

  const erase = (event: Event) => {
    setOpen(null);
    if (password === "") {
      event.preventDefault();
      form.refuse({ password: "Enter your password to delete the account." });
      return;
    }
    void form.submit(
      event,
      async () => {
        await shop.accounts.erase(password);
        navigate("/account/deleted");
      },
      (error) => {
        const blocking = openOrders(error);
        if (blocking) {
          setOpen(blocking);
          return { message: "Your account has orders that are not finished yet: it can be deleted once they are shipped or cancelled." };
        }
        if (problemSlug(error) === "invalid-credentials") return { field: "password", message: "This is not your password. Try again." };
        const said = signInRefusal(error);
        return said ? { message: said } : null;
      },
    );
  };

  return (
    <AccountPage title="Delete your account" section="/account/delete">
      <p>Deleting your account cannot be undone. It erases:</p>
      <ul>
        <li>your profile, your password and your marketing consent;</li>
        <li>your address book and your cart;</li>
        <li>your sessions, on every device.</li>
      </ul>
      <p>
        Your orders are kept, because the shop must keep its books, but anonymised: your name, your email address, your phone and your
        addresses are removed from them (only the country stays). You will no longer receive emails about them.
      </p>
      <p>An account cannot be deleted while one of its orders is awaiting payment or not shipped yet.</p>
      <form onSubmit={erase} noValidate aria-label="Delete your account">
        <TextField
          id="delete-password"
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          hint="Your password again, to make sure it is you."
          value={password}
          onValue={setPassword}
          message={form.messages.password}
        />
        <FormProblem text={form.problem}>
          {open && open.length > 0 && (
            <ul>
              {open.map((id) => (
                <li key={id}>
                  <a href={`/account/orders/${encodeURIComponent(id)}`}>Order {orderReference(id)}</a>
                </li>
              ))}
            </ul>
          )}
        </FormProblem>
        <div class="actions">
          <button type="submit" class="danger">
            {form.busy ? "Deleting…" : "Delete my account"}
          </button>
          <a href="/account">Keep my account</a>
        </div>
      </form>
    </AccountPage>
  );
}

/** After the erasure: signed out, with nothing left but the anonymised orders. */
export function DeletedPage() {
  return (
    <section aria-labelledby="deleted-title" class="account-form">
      <h1 id="deleted-title">Your account is deleted</h1>
      <p role="status">Your profile, addresses and sessions are erased, and your orders are anonymised.</p>
      <p>
        <a href="/">Back to the shop</a>
      </p>
    </section>
  );
}
