import { useEffect, useRef, useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { useShop } from "../../shop";
import { SendAgainButton } from "./SendAgain";
import { EmailField, FormProblem, NewPasswordField, useAccountForm } from "./ui";

const FIELDS = ["email", "password"] as const;


/** Creating an account: the server mails a link to confirm the address, and nobody signs in before that. */
export function SignUpPage() {
  const shop = useShop();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const form = useAccountForm(FIELDS, (field) => `sign-up-${field}`);
  const customer = shop.accounts.customer;

  if (customer) {
    return (
      <section aria-labelledby="sign-up-title" class="account-form">
        <h1 id="sign-up-title">Create an account</h1>
        <p>
          You are signed in as {customer.email}. <a href="/account">Go to your account</a>
        </p>
      </section>
    );
  }
  if (sent !== null) return <CheckInbox email={email.trim()} detail={sent} />;

  const signUp = (event: Event) => {
    const blank = {
      email: email.trim() === "" ? "Enter your email address." : undefined,
      password: password.length < 12 ? "Choose a password of at least 12 characters." : undefined,
    };
    if (blank.email || blank.password) {
      event.preventDefault();
      form.refuse(blank);
      return;
    }
    void form.submit(event, async () => {
      const accepted = await call(api.POST("/api/v1/auth/register", { body: { email: email.trim(), password } }));
      setSent(accepted.detail);
    });
  };

  return (
    <section aria-labelledby="sign-up-title" class="account-form">
      <h1 id="sign-up-title">Create an account</h1>
      <p>
        An account keeps your orders in one place, those you placed here as a guest with the same address too, and your addresses
        for the next checkout.
      </p>
      <form onSubmit={signUp} noValidate aria-labelledby="sign-up-title">
        <EmailField
          id="sign-up-email"
          value={email}
          onValue={setEmail}
          message={form.messages.email}
        />
        <NewPasswordField
          id="sign-up-password"
          name="password"
          label="Password"
          value={password}
          onValue={setPassword}
          message={form.messages.password}
        />
        <FormProblem text={form.problem} />
        <div class="actions">
          <button type="submit">{form.busy ? "Creating…" : "Create account"}</button>
        </div>
      </form>
      <p>
        Have an account already? <a href="/account/sign-in">Sign in</a>
      </p>
    </section>
  );
}

/** After signing up: what to do next, said where focus lands so that a screen reader hears it. */
function CheckInbox({ email, detail }: { email: string; detail: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="inbox-title" class="account-form">
      <h1 id="inbox-title" tabIndex={-1} ref={heading}>
        Check your inbox
      </h1>
      <p role="status">{detail}</p>
      <p>
        We sent it to {email}. Open the link in that email, and enter the password you just chose to confirm the address; you are then
        signed in.
      </p>
      <p class="muted">Nothing after a few minutes? Check your spam folder, or:</p>
      <SendAgainButton email={email} />
    </section>
  );
}
