import { useState } from "preact/hooks";
import { type Role, type Schemas, api, call, messageOf } from "../api";
import { Failure, useLoad, useSubmit } from "../forms";
import { roleOptions, roles } from "../roles";
import { type Column, Notice, PageTitle, Select, Table, dateTime } from "../ui";
import { CreateWithRole, Secret } from "./CreateWithRole";

type Member = Schemas["StaffView"];
type Patch = Schemas["StaffPatchInput"];

function state(member: Member): string {
  const notes = [member.active ? "Active" : "Deactivated"];
  if (member.must_change_password) notes.push("has a one-time password");
  if (member.locked_until && Date.parse(member.locked_until) > Date.now()) notes.push(`locked until ${dateTime(member.locked_until)}`);
  return notes.join(", ");
}

/** Role and access changes of one staff member; the outcome is told above the table. */
function MemberActions({ member, busy, onPatch }: { member: Member; busy: boolean; onPatch: (body: Patch, done: string) => void }) {
  const [role, setRole] = useState<string>(member.role);
  return (
    <div class="actions">
      <Select name={`role-${member.id}`} label="Role" value={role} options={roleOptions} onValue={setRole} />
      <button
        type="button"
        class="secondary"
        aria-label={`Change role of ${member.email}`}
        disabled={busy || role === member.role}
        onClick={() => onPatch({ role: role as Role }, `${member.email} is now ${roles[role as Role].toLowerCase()}.`)}
      >
        Change role
      </button>
      {member.active ? (
        <button
          type="button"
          class="danger"
          aria-label={`Deactivate ${member.email}`}
          disabled={busy}
          onClick={() => onPatch({ active: false }, `${member.email} is deactivated; their sessions have ended.`)}
        >
          Deactivate
        </button>
      ) : (
        <button
          type="button"
          aria-label={`Reactivate ${member.email}`}
          disabled={busy}
          onClick={() => onPatch({ active: true }, `${member.email} is active again.`)}
        >
          Reactivate
        </button>
      )}
    </div>
  );
}

export function Staff({ url }: { url: URL }) {
  const members = useLoad(async () => (await call(api.GET("/api/v1/admin/staff"))).items, []);
  const change = useSubmit(async (member: Member, body: Patch, done: string) => {
    try {
      await call(api.PATCH("/api/v1/admin/staff/{id}", { params: { path: { id: member.id } }, body }));
    } catch (error) {
      // Told above the whole table, so it says whom it is about. A 409 says the change would
      // leave the shop without an active owner.
      throw new Failure(`${member.email}: ${messageOf(error)}`);
    }
    members.reload();
    return done;
  });

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
          busy={change.busy}
          onPatch={(body, done) => void change.submit(undefined, member, body, done)}
        />
      ),
    },
  ];

  return (
    <>
      <PageTitle>Staff</PageTitle>
      <section aria-labelledby="staff-heading">
        <h2 id="staff-heading">Staff members</h2>
        {members.failure && <Notice kind="error">{members.failure}</Notice>}
        {change.outcome && <Notice kind={change.outcome.kind}>{change.outcome.text}</Notice>}
        {members.data && (
          <Table caption="Staff members, oldest first" columns={columns} rows={members.data} rowKey={(m) => m.id} url={url} />
        )}
      </section>
      <CreateWithRole
        heading="Add a staff member"
        headingId="add-staff-heading"
        input={{ name: "email", label: "Email", type: "email" }}
        button="Add staff member"
        create={(email, role) => call(api.POST("/api/v1/admin/staff", { body: { email, role } }))}
        told={(created) => `${created.staff.email} is added as ${roles[created.staff.role].toLowerCase()}.`}
        shown={(created) =>
          created.one_time_password ? (
            <Secret label="Their one-time password:" value={created.one_time_password}>
              It will not be shown again: give it to them now. They must choose their own password when they first log in.
            </Secret>
          ) : (
            <p>They log in with the password chosen for them.</p>
          )
        }
        onCreated={members.reload}
      />
    </>
  );
}
