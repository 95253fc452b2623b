import { useEffect, useState } from "preact/hooks";
import { type Role, type Schemas, api, call, messageOf } from "../api";
import { type Column, Field, Notice, PageTitle, Select, Table, dateTime } from "../ui";
import { refusal, roleOptions, roles } from "./formErrors";

type Member = Schemas["StaffView"];
type Outcome = { kind: "error" | "success"; text: string };

function state(member: Member): string {
  const notes = [member.active ? "Active" : "Deactivated"];
  if (member.must_change_password) notes.push("has a one-time password");
  if (member.locked_until && Date.parse(member.locked_until) > Date.now()) notes.push(`locked until ${dateTime(member.locked_until)}`);
  return notes.join(", ");
}

/** Role and access changes of one staff member; the outcome is told above the table. */
function MemberActions({ member, onOutcome }: { member: Member; onOutcome: (outcome: Outcome, changed: boolean) => void }) {
  const [role, setRole] = useState<string>(member.role);
  const [busy, setBusy] = useState(false);
  const patch = async (body: Schemas["StaffPatchInput"], done: string) => {
    setBusy(true);
    try {
      await call(api.PATCH("/api/v1/admin/staff/{id}", { params: { path: { id: member.id } }, body }));
      onOutcome({ kind: "success", text: done }, true);
    } catch (error) {
      // A 409 says the change would leave the shop without an active owner.
      onOutcome({ kind: "error", text: `${member.email}: ${messageOf(error)}` }, false);
      setBusy(false);
    }
  };
  return (
    <div class="actions">
      <Select name={`role-${member.id}`} label="Role" value={role} options={roleOptions} onValue={setRole} />
      <button
        type="button"
        class="secondary"
        aria-label={`Change role of ${member.email}`}
        disabled={busy || role === member.role}
        onClick={() => patch({ role: role as Role }, `${member.email} is now ${roles[role as Role].toLowerCase()}.`)}
      >
        Change role
      </button>
      {member.active ? (
        <button
          type="button"
          class="danger"
          aria-label={`Deactivate ${member.email}`}
          disabled={busy}
          onClick={() => patch({ active: false }, `${member.email} is deactivated; their sessions have ended.`)}
        >
          Deactivate
        </button>
      ) : (
        <button
          type="button"
          aria-label={`Reactivate ${member.email}`}
          disabled={busy}
          onClick={() => patch({ active: true }, `${member.email} is active again.`)}
        >
          Reactivate
        </button>
      )}
    </div>
  );
}

function AddMember({ onAdded }: { onAdded: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<string>("viewer");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<Schemas["CreatedStaff"] | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setFailure(null);
    setCreated(null);
    setBusy(true);
    try {
      setCreated(await call(api.POST("/api/v1/admin/staff", { body: { email, role: role as Role } })));
      setEmail("");
      onAdded();
    } catch (error) {
      const outcome = refusal(error, ["email", "role"]);
      setErrors(outcome.errors);
      setFailure(outcome.failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="add-staff-heading">
      <h2 id="add-staff-heading">Add a staff member</h2>
      {created && (
        <div class="card">
          <Notice kind="success">
            {created.staff.email} is added as {roles[created.staff.role].toLowerCase()}.
          </Notice>
          {created.one_time_password ? (
            <>
              <p>Their one-time password:</p>
              <p class="secret">{created.one_time_password}</p>
              <p>
                It will not be shown again: give it to them now. They must choose their own password when they first log
                in.
              </p>
            </>
          ) : (
            <p>They log in with the password chosen for them.</p>
          )}
        </div>
      )}
      <form onSubmit={submit} aria-labelledby="add-staff-heading" noValidate>
        {failure && <Notice kind="error">{failure}</Notice>}
        <Field name="email" label="Email" type="email" autoComplete="off" required value={email} onValue={setEmail} errors={errors} />
        <Select name="role" label="Role" value={role} options={roleOptions} onValue={setRole} errors={errors} />
        <button type="submit" disabled={busy}>
          Add staff member
        </button>
      </form>
    </section>
  );
}

export function Staff({ url }: { url: URL }) {
  const [members, setMembers] = useState<Member[] | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    call(api.GET("/api/v1/admin/staff"))
      .then((list) => setMembers(list.items))
      .catch((error) => setOutcome({ kind: "error", text: messageOf(error) }));
  }, [version]);

  const columns: Array<Column<Member>> = [
    { label: "Email", render: (member) => member.email },
    { label: "Role", render: (member) => roles[member.role] },
    { label: "State", render: state },
    { label: "Added", render: (member) => dateTime(member.created_at) },
    {
      label: "Change",
      render: (member) => (
        <MemberActions
          key={`${member.role}-${member.active}`}
          member={member}
          onOutcome={(told, changed) => {
            setOutcome(told);
            if (changed) setVersion((n) => n + 1);
          }}
        />
      ),
    },
  ];

  return (
    <>
      <PageTitle>Staff</PageTitle>
      <section aria-labelledby="staff-heading">
        <h2 id="staff-heading">Staff members</h2>
        {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
        {members && <Table caption="Staff members, oldest first" columns={columns} rows={members} rowKey={(m) => m.id} url={url} />}
      </section>
      <AddMember onAdded={() => setVersion((n) => n + 1)} />
    </>
  );
}
