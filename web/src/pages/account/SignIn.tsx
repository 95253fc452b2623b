import { useState } from "preact/hooks";
import { problemSlug, safeNext, signInRefusal } from "../../account";
import { navigate } from "../../router";
import { useShop } from "../../shop";
import { SendAgainButton } from "./SendAgain";
import { EmailField, FormProblem, PasswordField, useAccountForm } from "./ui";

const FIELDS = ["email", "password"] as const;

/** Why the shopper was sent here, said above the form. */
const AFTER: Record<string, string> = {
  reset: "Your password is changed. Sign in with the new one.",
  "signed-out": "You are signed out.",
};

/**
 * Signing in. `next` is where to go afterwards (an account screen that asked for it: then this is
 * that screen's content until the shopper is signed in); `after` says why the shopper is here.
 */
export function SignInPage({ next, after, reason }: { next?: string | null; after?: string | null; reason?: string }) {
  const shop = useShop();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [unconfirmed, setUnconfirmed] = useState(false);
  const form = useAccountForm(FIELDS, (field) => `sign-in-${field}`);
  const customer = shop.accounts.customer;

  if (customer) {
    return (
      <section aria-labelledby="sign-in-title" class="account-form">
        <h1 id="sign-in-title">Sign in</h1>
        <p>
          You are signed in as {customer.email}. <a href="/account">Go to your account</a>
        </p>
      </section>
    );
  }

  const signIn = (event: Event) => {
    setUnconfirmed(false);
    const blank = {
      email: email.trim() === "" ? "Enter your email address." : undefined,
      password: password === "" ? "Enter your password." : undefined,
    };
    if (blank.email || blank.password) {
      event.preventDefault();
      form.refuse(blank);
      return;
    }
    void form.submit(
      event,
      async () => {
        await shop.accounts.signIn(email.trim(), password);
        await shop.joinCart();
        navigate(safeNext(next));
      },
      (error) => {
        if (problemSlug(error) === "email-not-verified") setUnconfirmed(true);
        const said = signInRefusal(error);
        return said ? { message: said } : null;
      },
    );
  };

  const afterText = after ? AFTER[after] : undefined;
  return (
    <section aria-labelledby="sign-in-title" class="account-form">
      <h1 id="sign-in-title">Sign in</h1>
      {afterText && (
        <p class="notice" role="status">
          {afterText}
        </p>
      )}
      {reason && <p>{reason}</p>}
      <form onSubmit={signIn} noValidate aria-labelledby="sign-in-title">
        <EmailField
          id="sign-in-email"
          autoComplete="username"
          value={email}
          onValue={setEmail}
          message={form.messages.email}
        />
        <PasswordField
          id="sign-in-password"
          name="password"
          label="Password"
          value={password}
          onValue={setPassword}
          message={form.messages.password}
        />
        <FormProblem text={form.problem} />
        {unconfirmed && (
          <div class="resend">
            <SendAgainButton email={email} />
          </div>
        )}
        <div class="actions">
          <button type="submit">{form.busy ? "Signing in…" : "Sign in"}</button>
          <a href="/account/forgot-password">Forgot your password?</a>
        </div>
      </form>
      <p>
        New here? <a href="/account/sign-up">Create an account</a>
      </p>
    </section>
  );
}
