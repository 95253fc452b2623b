import { useState } from "preact/hooks";
import { ApiError, type Session, api, call, messageOf } from "../api";
import { Field, Notice, PageTitle } from "../ui";

export function Login({ ended, onLoggedIn }: { ended: boolean; onLoggedIn: (session: Session) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setFailure(null);
    try {
      onLoggedIn(await call(api.POST("/api/v1/admin/session", { body: { email, password } })));
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) setErrors(error.fields);
      else setFailure(messageOf(error));
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <PageTitle>Back office</PageTitle>
      {ended && <Notice kind="error">Your session has ended. Please log in again.</Notice>}
      <form onSubmit={submit} aria-label="Log in">
        {failure && <Notice kind="error">{failure}</Notice>}
        <Field name="email" label="Email" type="email" autoComplete="username" required value={email} onValue={setEmail} errors={errors} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
          errors={errors}
        />
        <button type="submit" disabled={busy}>
          {busy ? "Logging in…" : "Log in"}
        </button>
      </form>
    </main>
  );
}
