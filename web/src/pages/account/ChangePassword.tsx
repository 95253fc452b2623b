import { useState } from "preact/hooks";
import { useShop } from "../../shop";
import { FormProblem, NewPasswordField, PasswordField, useAccountForm } from "./ui";

const FIELDS = ["current_password", "new_password"] as const;

/** A new password, with the current one. The server answers a new session: other devices are signed out. */
export function ChangePassword() {
  const shop = useShop();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [done, setDone] = useState("");
  const form = useAccountForm(FIELDS, (field) => `password-${field}`);

  const change = (event: Event) => {
    setDone("");
    const blank = {
      current_password: current === "" ? "Enter your current password." : undefined,
      new_password: next.length < 12 ? "Choose a new password of at least 12 characters." : undefined,
    };
    if (blank.current_password || blank.new_password) {
      event.preventDefault();
      form.refuse(blank);
      return;
    }
    void form.submit(event, async () => {
      await shop.accounts.changePassword(current, next);
      // The account cart's secret follows the password: fetch the one that opens it now.
      await shop.joinCart();
      setCurrent("");
      setNext("");
      setDone("Your password is changed. Your other devices are signed out.");
    });
  };

  return (
    <section aria-labelledby="password-title" class="account-part">
      <h2 id="password-title">Password</h2>
      <form onSubmit={change} noValidate aria-labelledby="password-title">
        <PasswordField
          id="password-current_password"
          name="current_password"
          label="Current password"
          value={current}
          onValue={setCurrent}
          message={form.messages.current_password}
        />
        <NewPasswordField
          id="password-new_password"
          name="new_password"
          label="New password"
          value={next}
          onValue={setNext}
          message={form.messages.new_password}
        />
        <FormProblem text={form.problem} />
        <div class="actions">
          <button type="submit">{form.busy ? "Changing…" : "Change password"}</button>
          <p role="status" class="saved">
            {done}
          </p>
        </div>
      </form>
    </section>
  );
}
