import { useEffect, useState } from "preact/hooks";
import { type Schemas, api, call, messageOf } from "../api";
import { Notice, dateTime } from "../ui";

type Email = Schemas["EmailView"];

const kinds: Record<Schemas["EmailKind"], string> = {
  order_paid: "Order confirmation",
  order_shipped: "Shipping notice",
  order_refunded: "Refund notice",
  order_cancelled: "Cancellation notice",
  order_lookup: "Order link",
};

const statuses: Record<Schemas["EmailStatus"], string> = {
  pending: "Waiting to be sent",
  sent: "Sent",
  failed: "Failed",
  skipped: "Skipped (email off)",
};

/** The order's emails; `version` changes when an action may have queued another. */
export function OrderEmails({ orderId, version, canResend }: { orderId: string; version: number; canResend: boolean }) {
  const [emails, setEmails] = useState<Email[] | null>(null);
  const [outcome, setOutcome] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [reloads, setReloads] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    call(api.GET("/api/v1/admin/orders/{id}/emails", { params: { path: { id: orderId } } }))
      .then((list) => setEmails(list.items))
      .catch((error) => setOutcome({ kind: "error", text: messageOf(error) }));
  }, [orderId, version, reloads]);

  const resend = async (email: Email) => {
    setBusy(email.id);
    setOutcome(null);
    try {
      await call(
        api.POST("/api/v1/admin/orders/{id}/emails/{email_id}/resend", {
          params: { path: { id: orderId, email_id: email.id } },
        }),
      );
      setOutcome({ kind: "success", text: `The ${kinds[email.kind].toLowerCase()} is queued to be sent again.` });
      setReloads((n) => n + 1);
    } catch (error) {
      setOutcome({ kind: "error", text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby="emails-heading">
      <h2 id="emails-heading">Emails</h2>
      {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
      {emails &&
        (emails.length === 0 ? (
          <p>No email was sent about this order.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption>Emails about this order, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">To</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="numeric">Attempts</th>
                  <th scope="col">Sent or next try</th>
                  <th scope="col">Last error</th>
                  {canResend && <th scope="col">Action</th>}
                </tr>
              </thead>
              <tbody>
                {emails.map((email) => (
                  <tr key={email.id}>
                    <td>
                      {kinds[email.kind]}
                      {email.resent_from && (
                        <>
                          {" "}
                          <span class="badge">resent</span>
                        </>
                      )}
                    </td>
                    <td>{email.recipient}</td>
                    <td>{statuses[email.status]}</td>
                    <td class="numeric">{email.attempts}</td>
                    <td>{dateTime(email.sent_at ?? email.next_attempt_at)}</td>
                    <td>{email.last_error ?? "—"}</td>
                    {canResend && (
                      <td>
                        <button
                          type="button"
                          class="secondary"
                          aria-label={`Resend the ${kinds[email.kind].toLowerCase()} of ${dateTime(email.created_at)}`}
                          disabled={busy === email.id}
                          onClick={() => resend(email)}
                        >
                          Resend
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
