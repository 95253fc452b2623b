// The back office's building blocks: fields that show the server's message beside them, tables
// that page and sort on the server, and notices read out by screen readers.
import type { ComponentChildren, InputHTMLAttributes } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Schemas } from "./api";
import { navigate, withQuery } from "./router";

/** The page's heading, focused when the page opens so that screen readers announce it. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h1 tabIndex={-1} ref={heading}>
      {children}
    </h1>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "label" | "id" | "value" | "onInput" | "name">;

interface FieldProps extends InputProps {
  /** The API's field name: the input's id, and the key of its error. */
  name: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  errors?: Record<string, string>;
  hint?: string;
}

/** A labelled input; the server's message for its field is shown under it and read with it. */
export function Field({ name, label, value, onValue, errors, hint, ...rest }: FieldProps) {
  const id = `field-${name}`;
  const error = errors?.[name];
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        value={value}
        onInput={(event) => onValue((event.target as HTMLInputElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={described || undefined}
        {...rest}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectProps {
  name: string;
  label: string;
  value: string;
  options: Array<[value: string, label: string]>;
  onValue: (value: string) => void;
  errors?: Record<string, string>;
}

export function Select({ name, label, value, options, onValue, errors }: SelectProps) {
  const id = `field-${name}`;
  const error = errors?.[name];
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select
        id={id}
        name={name}
        value={value}
        onChange={(event) => onValue((event.target as HTMLSelectElement).value)}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {options.map(([optionValue, optionLabel]) => (
          <option value={optionValue} key={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A message for the whole form or page; `alert` for failures, read out at once. */
export function Notice({ kind, children }: { kind: "error" | "success"; children: ComponentChildren }) {
  return (
    <p class={`notice notice-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}

export function money(value: Schemas["Money"] | null | undefined): string {
  if (!value) return "—";
  return `${value.decimal} ${value.currency}`;
}

export function dateTime(value: string | null | undefined): string {
  if (!value) return "—";
  return new Date(value).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}

export interface Column<T> {
  label: string;
  /** The server's sort key for this column; sortable when given. */
  sort?: string;
  render: (row: T) => ComponentChildren;
  numeric?: boolean;
}

interface TableProps<T> {
  caption: string;
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T) => string;
  /** The page's address: sorting and paging change its query and the page reloads from it. */
  url: URL;
  /** The sort in force, as the server names it (`name`, `-name`). */
  sort?: string;
  page?: { page: number; total_pages: number; total: number };
}

/** A table whose sorting and pages are the server's: each header and pager link changes the
 * address, and the page fetches again from it. */
export function Table<T>({ caption, columns, rows, rowKey, url, sort, page }: TableProps<T>) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const ascending = sort === column.sort;
              const descending = sort === `-${column.sort}`;
              const ariaSort = ascending ? "ascending" : descending ? "descending" : undefined;
              return (
                <th scope="col" aria-sort={ariaSort} class={column.numeric ? "numeric" : undefined} key={column.label}>
                  {column.sort ? (
                    <a href={withQuery(url, { sort: ascending ? `-${column.sort}` : column.sort, page: undefined })}>
                      {column.label}
                      <span aria-hidden="true">{ascending ? " ▲" : descending ? " ▼" : ""}</span>
                    </a>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length}>Nothing to show.</td>
            </tr>
          ) : (
            rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td class={column.numeric ? "numeric" : undefined} key={column.label}>
                    {column.render(row)}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
      {page && page.total_pages > 1 && <Pager url={url} {...page} />}
    </div>
  );
}

function Pager({ url, page, total_pages, total }: { url: URL; page: number; total_pages: number; total: number }) {
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={withQuery(url, { page: page - 1 })}>Previous page</a> : <span />}
      <span>
        Page {page} of {total_pages} ({total} in all)
      </span>
      {page < total_pages ? <a href={withQuery(url, { page: page + 1 })}>Next page</a> : <span />}
    </nav>
  );
}

/** A filter form that puts its fields in the address, so the table reloads from it. */
export function FilterForm({ url, children }: { url: URL; children: ComponentChildren }) {
  return (
    <form
      class="filters"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const changes: Record<string, string | undefined> = { page: undefined };
        for (const [name, value] of data.entries()) changes[name] = String(value).trim() || undefined;
        navigate(withQuery(url, changes));
      }}
    >
      {children}
      <button type="submit">Apply</button>
    </form>
  );
}
