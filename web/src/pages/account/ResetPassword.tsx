import { useState } from "preact/hooks";
import { isLinkInvalid } from "../../account";
import type { FragmentToken } from "../../lookup";
import { navigate } from "../../router";
import { useShop } from "../../shop";
import { FormProblem, NewPasswordField, useAccountForm } from "./ui";

const FIELDS = ["new_password"] as const;

/**
 * The emailed reset link, `/account/reset#token=…`: a new password. Every session of the account
 * ends, so the shopper then signs in with it.
 */
export function ResetPasswordPage({ link }: { link: FragmentToken }) {
  const shop = useShop();
  const [password, setPassword] = useState("");
  const [invalid, setInvalid] = useState(false);
  const form = useAccountForm(FIELDS, () => "reset-password");

  if (link.kind !== "token" || invalid) {
    return (
      <section aria-labelledby="reset-title" class="account-form">
        <h1 id="reset-title">Choose a new password</h1>
        <p class="notice notice-error" role="alert">
          This link is not valid or has expired.
        </p>
        <p>
          A link works for 30 minutes, once. <a href="/account/forgot-password">Ask for a new one</a>.
        </p>
      </section>
    );
  }
  const token = link.token;

  const reset = (event: Event) => {
    if (password.length < 12) {
      event.preventDefault();
      form.refuse({ new_password: "Choose a password of at least 12 characters." });
      return;
    }
    void form.submit(
      event,
      async () => {
        await shop.accounts.resetPassword(token, password);
        navigate("/account/sign-in?after=reset");
      },
      (error) => {
        if (!isLinkInvalid(error)) return null;
        setInvalid(true);
        return { message: "" };
      },
    );
  };

  return (
    <section aria-labelledby="reset-title" class="account-form">
      <h1 id="reset-title">Choose a new password</h1>
      <form onSubmit={reset} noValidate aria-labelledby="reset-title">
        <NewPasswordField
          id="reset-password"
          name="new_password"
          label="New password"
          value={password}
          onValue={setPassword}
          message={form.messages.new_password}
        />
        <FormProblem text={form.problem} />
        <div class="actions">
          <button type="submit">{form.busy ? "Saving…" : "Save the new password"}</button>
        </div>
      </form>
    </section>
  );
}
