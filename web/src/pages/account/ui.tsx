// What the account's screens share: a labelled input with its hint and the server's message, the
// form-level notice, a form's submission that places each refusal, and the account's own menu.

import type { ComponentChildren, Ref } from "preact";
import { useEffect, useState } from "preact/hooks";
import { userMessage } from "../../api/client";
import { fieldRefusal, firstWithMessage } from "../../fields";

export type Messages<F extends string> = Partial<Record<F, string>>;

/** A text, email or password input; its message (the form's or the server's) is read out with it. */
export function TextField(props: {
  id: string;
  name: string;
  label: string;
  value: string;
  onValue(value: string): void;
  type?: "text" | "email" | "password";
  autoComplete?: string;
  hint?: ComponentChildren;
  message?: string;
  required?: boolean;
  readOnly?: boolean;
  inputRef?: Ref<HTMLInputElement>;
}) {
  const { id, message, hint } = props;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {hint && (
        <p id={hintId} class="hint">
          {hint}
        </p>
      )}
      {message && (
        <p id={errorId} class="field-error">
          <span class="visually-hidden">Error: </span>
          {message}
        </p>
      )}
      <input
        ref={props.inputRef}
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        autoComplete={props.autoComplete}
        required={props.required}
        readOnly={props.readOnly}
        value={props.value}
        aria-invalid={message ? "true" : undefined}
        aria-describedby={[errorId, hintId].filter(Boolean).join(" ") || undefined}
        onInput={(e) => props.onValue(e.currentTarget.value)}
      />
    </div>
  );
}

type FieldProps = {
  id: string;
  name: string;
  label: string;
  value: string;
  onValue(value: string): void;
  message?: string;
};

/** The address an account is known by; `username` where it signs in, so password managers pair it. */
export function EmailField(props: Omit<FieldProps, "name" | "label"> & { autoComplete?: "email" | "username" }) {
  return <TextField name="email" label="Email" {...props} type="email" autoComplete={props.autoComplete ?? "email"} required />;
}

/** The password the account has now. */
export function PasswordField(props: FieldProps) {
  return <TextField {...props} type="password" autoComplete="current-password" required />;
}

export const PASSWORD_HINT =
  "12 to 128 characters. A few unrelated words make a good one; it must not contain your email address's name.";

/** A password the shopper chooses, with the rules the server checks beside it. */
export function NewPasswordField(props: FieldProps) {
  return <TextField {...props} type="password" autoComplete="new-password" required hint={PASSWORD_HINT} />;
}

/** What the form as a whole must be told, read out at once; its children, such as a button to act on it. */
export function FormProblem({ text, children }: { text: string | null; children?: ComponentChildren }) {
  if (!text) return null;
  return (
    <div class="notice notice-error" role="alert">
      <p>{text}</p>
      {children}
    </div>
  );
}

/** Focuses the element of that id once the render that shows its message is done. */
export function useFocusAfterRender(): (id: string) => void {
  const [target, setTarget] = useState<{ id: string } | null>(null);
  useEffect(() => {
    if (target) document.getElementById(target.id)?.focus();
  }, [target]);
  return (id) => setTarget({ id });
}

/** How a page words a failure it knows: beside an input (`field`), or above the form. */
export type Explained<F extends string> = { field?: F; message: string } | null;

/**
 * A form's submission. The server's validation messages go beside the inputs `fields` names (in
 * the form's order; focus goes to the first), what `explain` knows is worded as it says, and
 * anything else is said above the form. `idOf` gives a field's input id.
 */
export function useAccountForm<F extends string>(fields: readonly F[], idOf: (field: F) => string) {
  const [messages, setMessages] = useState<Messages<F>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const focus = useFocusAfterRender();

  /** Shows the messages; true when there were any, with focus on the first wrong input. */
  const refuse = (wrong: Messages<F>): boolean => {
    setMessages(wrong);
    const first = firstWithMessage(fields, wrong);
    if (first) focus(idOf(first));
    return first !== null;
  };

  const submit = async (event: Event, work: () => Promise<void>, explain?: (error: unknown) => Explained<F>) => {
    event.preventDefault();
    // The button stays enabled while sending: disabling it would drop the keyboard's focus.
    if (busy) return;
    setMessages({});
    setProblem(null);
    setBusy(true);
    try {
      await work();
    } catch (error) {
      const explained = explain?.(error) ?? null;
      const refusal = explained ? null : fieldRefusal(error, fields);
      if (explained?.field) refuse({ [explained.field]: explained.message } as Messages<F>);
      else if (explained) setProblem(explained.message);
      else if (refusal) {
        refuse(refusal.fields);
        if (refusal.other.length > 0) setProblem(refusal.other.join(" "));
      } else setProblem(userMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return { messages, problem, busy, submit, refuse, setProblem };
}

const SECTIONS = [
  { href: "/account", label: "Profile" },
  { href: "/account/orders", label: "Orders" },
  { href: "/account/addresses", label: "Address book" },
  { href: "/account/delete", label: "Delete account" },
] as const;

/** A signed-in screen: its heading, and the account's menu with the current section marked. */
export function AccountPage(props: { title: string; section: (typeof SECTIONS)[number]["href"]; children: ComponentChildren }) {
  return (
    <section aria-labelledby="account-title" class="account">
      <h1 id="account-title">{props.title}</h1>
      <nav aria-label="Account" class="account-nav">
        <ul>
          {SECTIONS.map((section) => (
            <li key={section.href}>
              <a href={section.href} aria-current={section.href === props.section ? "page" : undefined}>
                {section.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.children}
    </section>
  );
}

/** A day, in the shopper's language and time zone. */
export function day(instant: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).format(new Date(instant));
}
