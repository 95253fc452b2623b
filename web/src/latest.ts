/**
 * Wraps a save so that only the newest value is sent: one call at a time, and values that arrive
 * while one is in flight replace each other. A radio group saves as the shopper arrows through it,
 * and answers overtaking each other must not leave an older choice saved.
 *
 * Each caller's promise settles once the newest value is saved; a failure drops the values that
 * were waiting, since the shopper is then shown what is saved and chooses again.
 */
export function latestOnly<T>(save: (value: T) => Promise<void>): (value: T) => Promise<void> {
  let running: Promise<void> | null = null;
  let waiting: { value: T } | null = null;
  const drain = async () => {
    try {
      while (waiting) {
        const { value } = waiting;
        waiting = null;
        await save(value);
      }
    } finally {
      waiting = null;
      running = null;
    }
  };
  return (value) => {
    waiting = { value };
    running ??= drain();
    return running;
  };
}
