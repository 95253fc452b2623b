// Asking again before an action that cannot be undone, in the page itself: a browser dialog
// would stop the headless end-to-end runs.
import { useEffect, useRef, useState } from "preact/hooks";

interface PromptProps {
  question: string;
  yes: string;
  busy?: boolean;
  onYes: () => void;
  onNo: () => void;
}

/** "Are you sure?" with its two answers; the safe answer has the focus when it appears. */
export function ConfirmPrompt({ question, yes, busy, onYes, onNo }: PromptProps) {
  const no = useRef<HTMLButtonElement>(null);
  useEffect(() => no.current?.focus(), []);
  return (
    <div class="actions" role="group" aria-label={question}>
      <p>{question}</p>
      <button type="button" class="danger" disabled={busy} onClick={onYes}>
        {busy ? "Working…" : yes}
      </button>
      <button type="button" class="secondary" ref={no} disabled={busy} onClick={onNo}>
        No
      </button>
    </div>
  );
}

interface ConfirmProps {
  /** The button's text. */
  action: string;
  /** A fuller name for the button when several on the page share its text. */
  name?: string;
  question: string;
  yes: string;
  onConfirm: () => Promise<void>;
}

/** A button that asks before it acts. */
export function Confirm({ action, name, question, yes, onConfirm }: ConfirmProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (!asking && refocus.current) button.current?.focus();
    refocus.current = false;
  }, [asking]);

  if (!asking) {
    return (
      <button type="button" class="danger" ref={button} aria-label={name} onClick={() => setAsking(true)}>
        {action}
      </button>
    );
  }
  return (
    <ConfirmPrompt
      question={question}
      yes={yes}
      busy={busy}
      onYes={async () => {
        setBusy(true);
        try {
          await onConfirm();
        } finally {
          setBusy(false);
          setAsking(false);
        }
      }}
      onNo={() => {
        refocus.current = true;
        setAsking(false);
      }}
    />
  );
}
