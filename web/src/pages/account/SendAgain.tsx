// "Send the link again", for a shopper whose confirmation link is lost, expired or used: a button
// when the page knows the address (a sign-in refused as unconfirmed), a form when it does not.

import { useState } from "preact/hooks";
import { api, call, userMessage } from "../../api/client";
import { askRefusal } from "../../lookup";
import { EmailField, useFocusAfterRender } from "./ui";

async function resend(email: string): Promise<string> {
  const accepted = await call(api.POST("/api/v1/auth/verification", { body: { email } }));
  return accepted.detail;
}

/** A button that mails `email` a new confirmation link, and says so in a polite live region. */
export function SendAgainButton({ email }: { email: string }) {
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState("");
  const send = async () => {
    if (busy) return;
    setBusy(true);
    setSaid("");
    try {
      setSaid(await resend(email.trim()));
    } catch (error) {
      setSaid(askRefusal(error)?.message ?? userMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="secondary" onClick={send}>
        {busy ? "Sending…" : "Send the link again"}
      </button>
      <p role="status" class="sent">
        {said}
      </p>
    </>
  );
}

/** The address to send a new confirmation link to, with the server's refusal of it beside the field. */
export function SendAgainForm() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [wrong, setWrong] = useState<string | undefined>();
  const [said, setSaid] = useState("");
  const focus = useFocusAfterRender();

  const send = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setWrong(undefined);
    setSaid("");
    if (email.trim() === "") {
      setWrong("Enter the email address you signed up with.");
      focus("resend-email");
      return;
    }
    setBusy(true);
    try {
      setSaid(await resend(email.trim()));
    } catch (error) {
      const refusal = askRefusal(error);
      if (refusal?.kind === "email") {
        setWrong(refusal.message);
        focus("resend-email");
      } else setSaid(refusal?.message ?? userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={send} noValidate aria-label="Send the confirmation link again">
      <EmailField
        id="resend-email"
        value={email}
        onValue={setEmail}
        message={wrong}
      />
      <div class="actions">
        <button type="submit">{busy ? "Sending…" : "Send the link again"}</button>
      </div>
      <p role="status" class="sent">
        {said}
      </p>
    </form>
  );
}
