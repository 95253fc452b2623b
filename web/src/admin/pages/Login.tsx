import { useState } from "preact/hooks";
import { type Session, api, call } from "../api";
import { useSubmit } from "../forms";
import { Field, Notice, PageTitle } from "../ui";

export function Login({ ended, onLoggedIn }: { ended: boolean; onLoggedIn: (session: Session) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const form = useSubmit(
    async () => onLoggedIn(await call(api.POST("/api/v1/admin/session", { body: { email, password } }))),
    { inputs: ["email", "password"] },
  );

  return (
    <main id="main" class="login">
      <PageTitle>Back office</PageTitle>
      {ended && <Notice kind="error">Your session has ended. Please log in again.</Notice>}
      <form onSubmit={form.submit} aria-label="Log in">
        {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
        <Field name="email" label="Email" type="email" autoComplete="username" required value={email} onValue={setEmail} errors={form.errors} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
          errors={form.errors}
        />
        <button type="submit" disabled={form.busy}>
          {form.busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
