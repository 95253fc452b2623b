import { type Schemas, api, call } from "../api";
import { useLoad, useSubmit } from "../forms";
import { roles } from "../roles";
import { type Column, Notice, PageTitle, Table, dateTime } from "../ui";
import { Confirm } from "./Confirm";
import { CreateWithRole, Secret } from "./CreateWithRole";

type ApiKey = Schemas["ApiKeyView"];

export function ApiKeys({ url }: { url: URL }) {
  const keys = useLoad(async () => (await call(api.GET("/api/v1/admin/api-keys"))).items, []);
  const revoke = useSubmit(async (key: ApiKey) => {
    await call(api.DELETE("/api/v1/admin/api-keys/{id}", { params: { path: { id: key.id } } }));
    keys.reload();
    return `The key “${key.name}” is revoked.`;
  });

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
            onConfirm={() => revoke.submit(undefined, key)}
          />
        ),
    },
  ];

  return (
    <>
      <PageTitle>API keys</PageTitle>
      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Keys</h2>
        {keys.failure && <Notice kind="error">{keys.failure}</Notice>}
        {revoke.outcome && <Notice kind={revoke.outcome.kind}>{revoke.outcome.text}</Notice>}
        {keys.data && <Table caption="API keys, newest first" columns={columns} rows={keys.data} rowKey={(key) => key.id} url={url} />}
      </section>
      <CreateWithRole
        heading="Create an API key"
        headingId="create-key-heading"
        input={{ name: "name", label: "Name", hint: "What the key is for, such as “Warehouse sync”." }}
        button="Create API key"
        create={(name, role) => call(api.POST("/api/v1/admin/api-keys", { body: { name, role } }))}
        told={(created) => `The key “${created.api_key.name}” is created with the ${roles[created.api_key.role].toLowerCase()} role.`}
        shown={(created) => (
          <Secret label="The key:" value={created.key}>
            It will not be shown again: copy it now. Send it as <code>Authorization: Bearer</code> followed by the key.
          </Secret>
        )}
        onCreated={keys.reload}
      />
    </>
  );
}
