import { useState } from "preact/hooks";
import { type Session, api, call } from "../api";
import { useSubmit } from "../forms";
import { Field, Notice, PageTitle } from "../ui";

/** Changing one's password; `forced` after logging in with a one-time password. */
export function Password({ session, forced, onChanged }: { session: Session; forced: boolean; onChanged: (session: Session) => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const form = useSubmit(
    async () => {
      const renewed = await call(
        api.POST("/api/v1/admin/session/password", { body: { current_password: current, new_password: next } }),
      );
      setCurrent("");
      setNext("");
      onChanged(renewed);
      return "Your password is changed. Your other sessions have ended.";
    },
    { inputs: ["current_password", "new_password"] },
  );

  const page = (
    <>
      <PageTitle>{forced ? "Choose your password" : "Change your password"}</PageTitle>
      {forced && <p>You logged in as {session.label} with a one-time password. Choose your own to go on.</p>}
      {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
      <form onSubmit={form.submit} aria-label="Change password">
        <Field
          name="current_password"
          label={forced ? "One-time password" : "Current password"}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onValue={setCurrent}
          errors={form.errors}
        />
        <Field
          name="new_password"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters; a few unrelated words make a good one."
          required
          value={next}
          onValue={setNext}
          errors={form.errors}
        />
        <button type="submit" disabled={form.busy}>
          Change password
        </button>
      </form>
    </>
  );
  return forced ? (
    <main id="main" class="login">
      {page}
    </main>
  ) : (
    page
  );
}
