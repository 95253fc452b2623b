import { useEffect, useRef, useState } from "preact/hooks";
import { isLinkInvalid, problemSlug, signInRefusal } from "../../account";
import type { FragmentToken } from "../../lookup";
import { useShop } from "../../shop";
import { SendAgainForm } from "./SendAgain";
import { FormProblem, PasswordField, useAccountForm } from "./ui";

const FIELDS = ["password"] as const;

/**
 * The emailed confirmation link, `/account/verify#token=…`: the token stays in the fragment, which
 * no request carries, and goes to the server with the password chosen at sign-up, so that only
 * whoever chose it and reads the mail confirms the address. Confirming signs in.
 */
export function VerifyPage({ link }: { link: FragmentToken }) {
  const [invalid, setInvalid] = useState(false);
  const [claimed, setClaimed] = useState<number | null>(null);
  if (claimed !== null) return <Confirmed claimed={claimed} />;
  if (link.kind !== "token" || invalid) return <InvalidLink />;
  return <ConfirmForm token={link.token} onInvalid={() => setInvalid(true)} onConfirmed={setClaimed} />;
}

function ConfirmForm(props: { token: string; onInvalid(): void; onConfirmed(claimed: number): void }) {
  const shop = useShop();
  const [password, setPassword] = useState("");
  const form = useAccountForm(FIELDS, () => "verify-password");

  const confirm = (event: Event) => {
    if (password === "") {
      event.preventDefault();
      form.refuse({ password: "Enter the password you chose when you signed up." });
      return;
    }
    void form.submit(
      event,
      async () => {
        const verified = await shop.accounts.verify(props.token, password);
        await shop.joinCart();
        props.onConfirmed(verified.claimed_orders);
      },
      (error) => {
        if (isLinkInvalid(error)) {
          props.onInvalid();
          return { message: "" };
        }
        if (problemSlug(error) === "invalid-credentials") {
          return { field: "password", message: "This is not the password you chose when you signed up. Try again." };
        }
        const said = signInRefusal(error);
        return said ? { message: said } : null;
      },
    );
  };

  return (
    <section aria-labelledby="verify-title" class="account-form">
      <h1 id="verify-title">Confirm your email address</h1>
      <p>To confirm that this address is yours, enter the password you chose when you created the account.</p>
      <form onSubmit={confirm} noValidate aria-labelledby="verify-title">
        <PasswordField
          id="verify-password"
          name="password"
          label="Password"
          value={password}
          onValue={setPassword}
          message={form.messages.password}
        />
        <FormProblem text={form.problem} />
        <div class="actions">
          <button type="submit">{form.busy ? "Confirming…" : "Confirm my address"}</button>
        </div>
      </form>
    </section>
  );
}

/** A link forged, altered, expired, used already, or cut short on its way. */
function InvalidLink() {
  return (
    <section aria-labelledby="verify-title" class="account-form">
      <h1 id="verify-title">Confirm your email address</h1>
      <p class="notice notice-error" role="alert">
        This link is not valid or has expired.
      </p>
      <p>
        If you confirmed your address already, <a href="/account/sign-in">sign in</a>. Otherwise, ask for a new link:
      </p>
      <SendAgainForm />
    </section>
  );
}

function Confirmed({ claimed }: { claimed: number }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="verify-title" class="account-form">
      <h1 id="verify-title" tabIndex={-1} ref={heading}>
        Your address is confirmed
      </h1>
      <p role="status">
        You are signed in.
        {claimed === 1
          ? " The order you placed as a guest with this address is now in your account."
          : claimed > 1
            ? ` The ${claimed} orders you placed as a guest with this address are now in your account.`
            : ""}
      </p>
      <ul class="account-links">
        <li>
          <a href="/account/orders">Your orders</a>
        </li>
        <li>
          <a href="/account">Your account</a>
        </li>
        <li>
          <a href="/">Continue shopping</a>
        </li>
      </ul>
    </section>
  );
}
