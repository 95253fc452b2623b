import { type Schemas, api, call } from "../api";
import { useLoad, useSubmit } from "../forms";
import { Notice, dateTime } from "../ui";

type Email = Schemas["EmailView"];

const kinds: Record<Schemas["EmailKind"], string> = {
  order_paid: "Order confirmation",
  order_shipped: "Shipping notice",
  order_refunded: "Refund notice",
  order_cancelled: "Cancellation notice",
  order_lookup: "Order link",
  account_verify: "Account confirmation",
  account_exists: "Account exists notice",
  password_reset: "Password reset link",
  password_changed: "Password change notice",
};

const statuses: Record<Schemas["EmailStatus"], string> = {
  pending: "Waiting to be sent",
  sent: "Sent",
  failed: "Failed",
  skipped: "Skipped (email off)",
};

/** The order's emails; `version` changes when an action may have queued another. */
export function OrderEmails({ orderId, version, canResend }: { orderId: string; version: number; canResend: boolean }) {
  const list = useLoad(
    async () => (await call(api.GET("/api/v1/admin/orders/{id}/emails", { params: { path: { id: orderId } } }))).items,
    [orderId, version],
  );
  const resend = useSubmit(async (email: Email) => {
    await call(
      api.POST("/api/v1/admin/orders/{id}/emails/{email_id}/resend", {
        params: { path: { id: orderId, email_id: email.id } },
      }),
    );
    list.reload();
    return `The ${kinds[email.kind].toLowerCase()} is queued to be sent again.`;
  });
  const emails = list.data;

  return (
    <section aria-labelledby="emails-heading">
      <h2 id="emails-heading">Emails</h2>
      {list.failure && <Notice kind="error">{list.failure}</Notice>}
      {resend.outcome && <Notice kind={resend.outcome.kind}>{resend.outcome.text}</Notice>}
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
                          disabled={resend.busy}
                          onClick={() => resend.submit(undefined, email)}
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
