import { useState } from "preact/hooks";
import { ApiError, type Session, api, call, messageOf } from "../api";
import { Field, Notice, PageTitle } from "../ui";

/** Changing one's password; `forced` after logging in with a one-time password. */
export function Password({ session, forced, onChanged }: { session: Session; forced: boolean; onChanged: (session: Session) => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<{ kind: "error" | "success"; text: string } | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setOutcome(null);
    try {
      const renewed = await call(
        api.POST("/api/v1/admin/session/password", { body: { current_password: current, new_password: next } }),
      );
      setCurrent("");
      setNext("");
      setOutcome({ kind: "success", text: "Your password is changed. Your other sessions have ended." });
      onChanged(renewed);
    } catch (error) {
      if (error instanceof ApiError && Object.keys(error.fields).length > 0) setErrors(error.fields);
      else setOutcome({ kind: "error", text: messageOf(error) });
    }
  };

  const form = (
    <>
      <PageTitle>{forced ? "Choose your password" : "Change your password"}</PageTitle>
      {forced && <p>You logged in as {session.label} with a one-time password. Choose your own to go on.</p>}
      {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
      <form onSubmit={submit} aria-label="Change password">
        <Field
          name="current_password"
          label={forced ? "One-time password" : "Current password"}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onValue={setCurrent}
          errors={errors}
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
          errors={errors}
        />
        <button type="submit">Change password</button>
      </form>
    </>
  );
  return forced ? (
    <main id="main" class="login">
      {form}
    </main>
  ) : (
    form
  );
}
