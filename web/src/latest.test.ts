import { describe, expect, it } from "vitest";
import { latestOnly } from "./latest";

/** A save whose calls wait until the test lets each one finish. */
function controlledSave() {
  const sent: string[] = [];
  const pending: { resolve(): void; reject(error: Error): void }[] = [];
  const save = (value: string) =>
    new Promise<void>((resolve, reject) => {
      sent.push(value);
      pending.push({ resolve, reject });
    });
  const settle = async (outcome: "resolve" | "reject") => {
    const next = pending.shift();
    if (outcome === "resolve") next?.resolve();
    else next?.reject(new Error("refused"));
    await new Promise((resolve) => setTimeout(resolve));
  };
  return { sent, save, settle };
}

describe("latestOnly", () => {
  it("sends one value at a time and skips those overtaken while one was in flight", async () => {
    const { sent, save, settle } = controlledSave();
    const choose = latestOnly(save);
    const first = choose("standard");
    const second = choose("express");
    const third = choose("pickup");
    expect(sent).toEqual(["standard"]);
    await settle("resolve");
    expect(sent).toEqual(["standard", "pickup"]);
    await settle("resolve");
    await Promise.all([first, second, third]);
    expect(sent).toEqual(["standard", "pickup"]);

    // Idle again: the next value goes at once.
    const later = choose("express");
    expect(sent).toEqual(["standard", "pickup", "express"]);
    await settle("resolve");
    await later;
  });

  it("drops the waiting values when a save fails, and starts afresh after", async () => {
    const { sent, save, settle } = controlledSave();
    const choose = latestOnly(save);
    const first = choose("standard");
    const second = choose("express");
    const outcomes = Promise.allSettled([first, second]);
    await settle("reject");
    expect((await outcomes).map((outcome) => outcome.status)).toEqual(["rejected", "rejected"]);
    expect(sent).toEqual(["standard"]);
    const again = choose("express");
    await settle("resolve");
    await again;
    expect(sent).toEqual(["standard", "express"]);
  });
});
