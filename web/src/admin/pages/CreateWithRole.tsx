// What the staff and API key screens share: a form that gives someone or something a role, and
// the card that shows what it made, with a secret the server tells this once and never again.
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Role } from "../api";
import { useSubmit } from "../forms";
import { roleOptions } from "../roles";
import { Field, Notice, Select } from "../ui";

interface CreateWithRoleProps<T> {
  /** The section's heading; its id names the form too. */
  heading: string;
  headingId: string;
  /** The input for who or what is given the role, by the API's field name. */
  input: { name: string; label: string; type?: string; hint?: string };
  button: string;
  create: (value: string, role: Role) => Promise<T>;
  /** The success notice on the card. */
  told: (created: T) => string;
  /** What the card shows under it. */
  shown: (created: T) => ComponentChildren;
  onCreated: () => void;
}

export function CreateWithRole<T>({ heading, headingId, input, button, create, told, shown, onCreated }: CreateWithRoleProps<T>) {
  const [value, setValue] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [created, setCreated] = useState<T | null>(null);
  const form = useSubmit(
    async () => {
      setCreated(null);
      setCreated(await create(value, role));
      setValue("");
      onCreated();
    },
    { inputs: [input.name, "role"] },
  );

  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      {created && (
        <div class="card">
          <Notice kind="success">{told(created)}</Notice>
          {shown(created)}
        </div>
      )}
      <form onSubmit={form.submit} aria-labelledby={headingId} noValidate>
        {form.outcome && <Notice kind={form.outcome.kind}>{form.outcome.text}</Notice>}
        <Field
          name={input.name}
          label={input.label}
          type={input.type}
          hint={input.hint}
          autoComplete="off"
          required
          value={value}
          onValue={setValue}
          errors={form.errors}
        />
        <Select name="role" label="Role" value={role} options={roleOptions} onValue={(chosen) => setRole(chosen as Role)} errors={form.errors} />
        <button type="submit" disabled={form.busy}>
          {button}
        </button>
      </form>
    </section>
  );
}

/** A secret shown once, between what it is and what to do with it. */
export function Secret({ label, value, children }: { label: string; value: string; children: ComponentChildren }) {
  return (
    <>
      <p>{label}</p>
      <p class="secret">{value}</p>
      <p>{children}</p>
    </>
  );
}
