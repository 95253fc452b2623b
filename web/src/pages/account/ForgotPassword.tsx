import { useState } from "preact/hooks";
import { api, call } from "../../api/client";
import { askRefusal } from "../../lookup";
import { EmailField, FormProblem, useAccountForm } from "./ui";

const FIELDS = ["email"] as const;

/** Asks for a link to choose a new password. The answer is the same whether the address has an account or not. */
export function ForgotPasswordPage() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState("");
  const form = useAccountForm(FIELDS, () => "forgot-email");

  const ask = (event: Event) => {
    setSent("");
    if (email.trim() === "") {
      event.preventDefault();
      form.refuse({ email: "Enter the email address of your account." });
      return;
    }
    void form.submit(
      event,
      async () => {
        const accepted = await call(api.POST("/api/v1/auth/password-reset", { body: { email: email.trim() } }));
        setSent(accepted.detail);
      },
      (error) => {
        const refusal = askRefusal(error);
        return refusal?.kind === "email" ? { field: "email", message: refusal.message } : refusal;
      },
    );
  };

  return (
    <section aria-labelledby="forgot-title" class="account-form">
      <h1 id="forgot-title">Forgot your password?</h1>
      <p>Enter the email address of your account: we email it a link to choose a new password. The link works for 30 minutes, once.</p>
      <form onSubmit={ask} noValidate aria-labelledby="forgot-title">
        <EmailField
          id="forgot-email"
          value={email}
          onValue={setEmail}
          message={form.messages.email}
        />
        <FormProblem text={form.problem} />
        <div class="actions">
          <button type="submit">{form.busy ? "Sending…" : "Email me a link"}</button>
        </div>
        <p role="status" class="sent">
          {sent}
        </p>
      </form>
      <p>
        Remembered it? <a href="/account/sign-in">Sign in</a>
      </p>
    </section>
  );
}
