import { useState } from "preact/hooks";
import { type Schemas, api, call } from "../api";
import { useLoad } from "../forms";
import { type Column, Field, FilterForm, Notice, PageTitle, Table, dateTime } from "../ui";

type AuditEvent = Schemas["AuditEvent"];

const actorKinds: Record<Schemas["ActorKind"], string> = {
  staff: "staff",
  api_key: "API key",
  bootstrap_token: "bootstrap token",
  anonymous: "anonymous",
  customer: "customer",
  system: "the shop",
};

const screens: Record<string, string> = { order: "/admin/orders", product: "/admin/products" };

/** A `datetime-local` value read as UTC, as every time on these screens is shown. */
function toIso(local: string): string {
  const instant = new Date(`${local}Z`);
  return local && !Number.isNaN(instant.getTime()) ? instant.toISOString() : "";
}

function toLocal(iso: string | null): string {
  const instant = new Date(iso ?? "");
  return iso && !Number.isNaN(instant.getTime()) ? instant.toISOString().slice(0, 16) : "";
}

/** A date and time input; the form sends it, as the API wants it, from a hidden twin. */
function InstantField({ name, label, value, onValue, errors }: {
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  errors: Record<string, string>;
}) {
  const id = `field-${name}`;
  const error = errors[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="datetime-local"
        value={value}
        onInput={(event) => onValue((event.target as HTMLInputElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <input type="hidden" name={name} value={toIso(value)} />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

function Filters({ url, errors }: { url: URL; errors: Record<string, string> }) {
  const params = url.searchParams;
  const [actor, setActor] = useState(params.get("actor") ?? "");
  const [target, setTarget] = useState(params.get("target") ?? "");
  const [from, setFrom] = useState(toLocal(params.get("from")));
  const [to, setTo] = useState(toLocal(params.get("to")));
  return (
    <FilterForm url={url}>
      <Field name="actor" label="Actor id" autoComplete="off" value={actor} onValue={setActor} errors={errors} />
      <Field name="target" label="Target id" autoComplete="off" value={target} onValue={setTarget} errors={errors} />
      <InstantField name="from" label="From (UTC)" value={from} onValue={setFrom} errors={errors} />
      <InstantField name="to" label="Before (UTC)" value={to} onValue={setTo} errors={errors} />
    </FilterForm>
  );
}

const columns: Array<Column<AuditEvent>> = [
  { label: "When", render: (event) => dateTime(event.occurred_at) },
  {
    label: "Actor",
    render: (event) => (
      <>
        {event.actor.label} <span class="badge">{actorKinds[event.actor.kind] ?? event.actor.kind}</span>
      </>
    ),
  },
  { label: "Operation", render: (event) => event.operation },
  {
    label: "Target",
    render: ({ target_type: type, target_id: id }) => {
      if (!type && !id) return "—";
      const screen = type ? screens[type] : undefined;
      return (
        <>
          {type ?? "—"}{" "}
          {id && screen ? <a href={`${screen}/${encodeURIComponent(id)}`}>{id}</a> : id}
        </>
      );
    },
  },
  { label: "Status", numeric: true, render: (event) => event.status },
  { label: "Client address", render: (event) => event.client_addr },
  { label: "Summary", render: (event) => <code class="audit-summary">{JSON.stringify(event.summary)}</code> },
];

export function AuditLog({ url }: { url: URL }) {
  const params = url.searchParams;
  const text = (name: string) => params.get(name) || undefined;
  const number = (name: string) => Number(params.get(name)) || undefined;
  const query = {
    actor: text("actor"),
    target: text("target"),
    from: text("from"),
    to: text("to"),
    page: number("page"),
    limit: number("limit"),
  };
  const events = useLoad(() => call(api.GET("/api/v1/admin/audit-events", { params: { query } })), [url.search], {
    inputs: ["actor", "target", "from", "to"],
  });
  const result = events.data;

  return (
    <>
      <PageTitle>Audit log</PageTitle>
      <Filters key={url.search} url={url} errors={events.errors} />
      {events.failure && <Notice kind="error">{events.failure}</Notice>}
      {/* A refused search shows no table rather than the last one's. */}
      {result && !events.failure && (
        <Table
          caption={`Audit events, newest first (${result.total})`}
          columns={columns}
          rows={result.items}
          rowKey={(event) => String(event.id)}
          url={url}
          page={{ page: result.page, total_pages: result.total_pages, total: result.total }}
        />
      )}
    </>
  );
}
