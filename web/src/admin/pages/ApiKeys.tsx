import { useEffect, useState } from "preact/hooks";
import { type Role, type Schemas, api, call, messageOf } from "../api";
import { type Column, Field, Notice, PageTitle, Select, Table, dateTime } from "../ui";
import { Confirm } from "./Confirm";
import { refusal, roleOptions, roles } from "./formErrors";

type ApiKey = Schemas["ApiKeyView"];
type Outcome = { kind: "error" | "success"; text: string };

function CreateKey({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<string>("viewer");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<Schemas["CreatedApiKey"] | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setErrors({});
    setFailure(null);
    setCreated(null);
    setBusy(true);
    try {
      setCreated(await call(api.POST("/api/v1/admin/api-keys", { body: { name, role: role as Role } })));
      setName("");
      onCreated();
    } catch (error) {
      const outcome = refusal(error, ["name", "role"]);
      setErrors(outcome.errors);
      setFailure(outcome.failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="create-key-heading">
      <h2 id="create-key-heading">Create an API key</h2>
      {created && (
        <div class="card">
          <Notice kind="success">
            The key “{created.api_key.name}” is created with the {roles[created.api_key.role].toLowerCase()} role.
          </Notice>
          <p>The key:</p>
          <p class="secret">{created.key}</p>
          <p>
            It will not be shown again: copy it now. Send it as <code>Authorization: Bearer</code> followed by the key.
          </p>
        </div>
      )}
      <form onSubmit={submit} aria-labelledby="create-key-heading" noValidate>
        {failure && <Notice kind="error">{failure}</Notice>}
        <Field
          name="name"
          label="Name"
          hint="What the key is for, such as “Warehouse sync”."
          autoComplete="off"
          required
          value={name}
          onValue={setName}
          errors={errors}
        />
        <Select name="role" label="Role" value={role} options={roleOptions} onValue={setRole} errors={errors} />
        <button type="submit" disabled={busy}>
          Create API key
        </button>
      </form>
    </section>
  );
}

export function ApiKeys({ url }: { url: URL }) {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    call(api.GET("/api/v1/admin/api-keys"))
      .then((list) => setKeys(list.items))
      .catch((error) => setOutcome({ kind: "error", text: messageOf(error) }));
  }, [version]);

  const revoke = async (key: ApiKey) => {
    try {
      await call(api.DELETE("/api/v1/admin/api-keys/{id}", { params: { path: { id: key.id } } }));
      setOutcome({ kind: "success", text: `The key “${key.name}” is revoked.` });
      setVersion((n) => n + 1);
    } catch (error) {
      setOutcome({ kind: "error", text: messageOf(error) });
    }
  };

  const columns: Array<Column<ApiKey>> = [
    { label: "Name", render: (key) => key.name },
    { label: "Prefix", render: (key) => <code>{key.prefix}</code> },
    { label: "Role", render: (key) => roles[key.role] },
    { label: "Created", render: (key) => dateTime(key.created_at) },
    { label: "Last used", render: (key) => (key.last_used_at ? dateTime(key.last_used_at) : "Never") },
    { label: "Revoked", render: (key) => (key.revoked_at ? dateTime(key.revoked_at) : "No") },
    {
      label: "Action",
      render: (key) =>
        key.revoked_at ? (
          "—"
        ) : (
          <Confirm
            action="Revoke"
            name={`Revoke the key ${key.name}`}
            question={`Are you sure? Requests with “${key.name}” will be refused at once.`}
            yes="Yes, revoke"
            onConfirm={() => revoke(key)}
          />
        ),
    },
  ];

  return (
    <>
      <PageTitle>API keys</PageTitle>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
        {keys && <Table caption="API keys, newest first" columns={columns} rows={keys} rowKey={(key) => key.id} url={url} />}
      </section>
      <CreateKey onCreated={() => setVersion((n) => n + 1)} />
    </>
  );
}
