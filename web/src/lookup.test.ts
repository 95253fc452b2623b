import { describe, expect, it } from "vitest";
import { ApiError } from "./api/client";
import { askRefusal, fragmentToken, isInvalidLink, lookupOrderHref, orderReference, orderStatusText, placedOn } from "./lookup";

const TOKEN = "616461406578616d706c652e636f6d.1795000000.9c1f0e3b5a7d2c4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6";

describe("fragmentToken", () => {
  it("reads the token the link carries after its #", () => {
    expect(fragmentToken(`#token=${TOKEN}`, "token")).toEqual({ kind: "token", token: TOKEN });
    expect(fragmentToken(`#lookup=${TOKEN}`, "lookup")).toEqual({ kind: "token", token: TOKEN });
    expect(fragmentToken(`token=${TOKEN}`, "token")).toEqual({ kind: "token", token: TOKEN });
    expect(fragmentToken(`#other=1&token=${TOKEN}`, "token")).toEqual({ kind: "token", token: TOKEN });
  });

  it("finds none without it, or under another name", () => {
    expect(fragmentToken("", "token")).toEqual({ kind: "none" });
    expect(fragmentToken("#", "token")).toEqual({ kind: "none" });
    expect(fragmentToken("#main", "lookup")).toEqual({ kind: "none" });
    expect(fragmentToken(`#lookup=${TOKEN}`, "token")).toEqual({ kind: "none" });
  });

  it("knows a token cut short or mangled on its way, which no header could carry", () => {
    expect(fragmentToken("#token=", "token")).toEqual({ kind: "malformed" });
    expect(fragmentToken("#token=abc%0AInjected:%201", "token")).toEqual({ kind: "malformed" });
    expect(fragmentToken("#token=abc%20def", "token")).toEqual({ kind: "malformed" });
    expect(fragmentToken(`#token=${TOKEN}>`, "token")).toEqual({ kind: "malformed" });
    expect(fragmentToken(`#token=${"a".repeat(1001)}`, "token")).toEqual({ kind: "malformed" });
  });
});

describe("lookupOrderHref", () => {
  it("puts the token in the fragment, which no request carries", () => {
    expect(lookupOrderHref("0b7e1c1e-5f3a-4c47-9a55-0d1f2e3a4b5c", TOKEN)).toBe(`/orders/0b7e1c1e-5f3a-4c47-9a55-0d1f2e3a4b5c#lookup=${TOKEN}`);
  });

  it("reads back as the same token", () => {
    const href = new URL(lookupOrderHref("abc", TOKEN), "https://shop.example");
    expect(href.pathname).toBe("/orders/abc");
    expect(href.search).toBe("");
    expect(fragmentToken(href.hash, "lookup")).toEqual({ kind: "token", token: TOKEN });
  });
});

describe("orderReference", () => {
  it("is the id's first 8 hex digits, upper-cased, as the emails print it", () => {
    expect(orderReference("0b7e1c1e-5f3a-4c47-9a55-0d1f2e3a4b5c")).toBe("0B7E1C1E");
    expect(orderReference("0b7e1c1e5f3a4c479a550d1f2e3a4b5c")).toBe("0B7E1C1E");
  });

  it("skips the hyphens of a short first group", () => {
    expect(orderReference("0b7e-1c1e-5f3a")).toBe("0B7E1C1E");
  });
});

describe("orderStatusText", () => {
  it("says each status in a word or two", () => {
    expect(orderStatusText("paid")).toBe("Paid");
    expect(orderStatusText("partially_refunded")).toBe("Partly refunded");
    expect(orderStatusText("needs_review")).toBe("Paid, being checked");
  });
});

describe("placedOn", () => {
  it("says the day in the shopper's language and time zone", () => {
    expect(placedOn("2025-05-03T12:00:00Z", "en-GB", "UTC")).toBe("3 May 2025");
    expect(placedOn("2025-05-03T23:30:00Z", "en-US", "Europe/Paris")).toBe("May 4, 2025");
  });
});

describe("askRefusal", () => {
  const refused = (problem: object) => new ApiError("client", 422, { type: "urn:shop:problem:validation", title: "t", status: 422, ...problem });

  it("says the server's word on the address beside the field", () => {
    const said = askRefusal(
      refused({ field: "email", detail: "email: must be an address such as ada@example.com, at most 254 characters" }),
    );
    expect(said).toEqual({ kind: "email", message: "Must be an address such as ada@example.com, at most 254 characters." });
  });

  it("reads a list of errors too", () => {
    expect(askRefusal(refused({ errors: [{ field: "email", message: "is required" }] }))).toEqual({ kind: "email", message: "Is required." });
  });

  it("asks for an address when the server names no reason", () => {
    expect(askRefusal(refused({ detail: "the body is not JSON" }))).toEqual({
      kind: "email",
      message: "Enter an email address such as ada@example.com.",
    });
  });

  it("asks to wait a minute after too many asks", () => {
    const limited = new ApiError("client", 429, { type: "urn:shop:problem:too-many-requests", title: "Too many requests", status: 429 });
    expect(askRefusal(limited)).toEqual({ kind: "wait", message: expect.stringMatching(/try again in a minute/) });
  });

  it("leaves other failures to the page", () => {
    expect(askRefusal(new ApiError("server", 503))).toBeNull();
    expect(askRefusal(new ApiError("network", 0))).toBeNull();
    expect(askRefusal(new Error("boom"))).toBeNull();
  });
});

describe("isInvalidLink", () => {
  it("is a 404, which a forged, altered or expired link reads as", () => {
    expect(isInvalidLink(new ApiError("client", 404))).toBe(true);
    expect(isInvalidLink(new ApiError("client", 400))).toBe(false);
    expect(isInvalidLink(new ApiError("network", 0))).toBe(false);
    expect(isInvalidLink(new Error("404"))).toBe(false);
  });
});
