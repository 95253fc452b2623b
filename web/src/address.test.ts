import { describe, expect, it } from "vitest";
import { ApiError } from "./api/client";
import { blankFields, draftOf, firstWrong, inputOf, phoneForServer, refusalOf, sentence } from "./address";

const validation = (body: object) =>
  new ApiError("client", 422, { type: "urn:shop:problem:validation", title: "The request content is invalid", status: 422, ...body });

describe("refusalOf", () => {
  it("puts every wrong field's message beside it, as a sentence", () => {
    const refusal = refusalOf(
      validation({
        detail: "name: must be 1 to 100 characters; postal_code: must be 1 to 20 letters, digits, spaces or hyphens",
        field: "name",
        errors: [
          { field: "name", message: "must be 1 to 100 characters" },
          { field: "postal_code", message: "must be 1 to 20 letters, digits, spaces or hyphens" },
          { field: "country", message: "the shop does not ship to US" },
        ],
      }),
    );
    expect(refusal).toEqual({
      fields: {
        name: "Must be 1 to 100 characters.",
        postal_code: "Must be 1 to 20 letters, digits, spaces or hyphens.",
        country: "The shop does not ship to US.",
      },
      other: [],
    });
    expect(firstWrong(refusal?.fields ?? {})).toBe("name");
  });

  it("reads a refusal of one field from its field and detail", () => {
    expect(refusalOf(validation({ field: "phone", detail: "phone: must be in international form" }))).toEqual({
      fields: { phone: "Must be in international form." },
      other: [],
    });
  });

  it("keeps what no field of the form can show apart", () => {
    expect(refusalOf(validation({ field: "company", detail: "unknown field `company`", errors: [{ field: "company", message: "unknown field" }] }))).toEqual({
      fields: {},
      other: ["Company: unknown field."],
    });
    expect(refusalOf(validation({ detail: "the body must be an object" }))).toEqual({ fields: {}, other: ["The body must be an object."] });
  });

  it("is null for anything but a refusal of fields", () => {
    expect(refusalOf(new ApiError("network", 0))).toBeNull();
    expect(refusalOf(new ApiError("client", 409, { type: "urn:shop:problem:locked", title: "Locked", status: 409 }))).toBeNull();
    expect(refusalOf(new Error("boom"))).toBeNull();
  });
});

describe("address drafts", () => {
  it("sends trimmed fields, optional blanks as null, and the phone without its spaces", () => {
    const draft = { ...draftOf(null, "FR"), name: " Ada Lovelace ", line1: "12 Rue de Rivoli", line2: "  ", city: "Paris", postal_code: "75001 ", phone: "+33 1 23-45.67 (89)" };
    expect(inputOf(draft)).toEqual({
      name: "Ada Lovelace",
      line1: "12 Rue de Rivoli",
      line2: null,
      city: "Paris",
      postal_code: "75001",
      region: null,
      country: "FR",
      phone: "+33123456789",
    });
    expect(phoneForServer("")).toBe("");
  });

  it("starts from the saved address, or from the likely country", () => {
    expect(draftOf(null, "GB").country).toBe("GB");
    const saved = draftOf({ name: "Ada", line1: "1 Main St", city: "Springfield", postal_code: "12345", country: "US", region: "IL", line2: null, phone: null }, "GB");
    expect(saved).toMatchObject({ country: "US", region: "IL", line2: "", phone: "" });
  });

  it("names the required fields left blank, in the form's order", () => {
    const blank = blankFields({ ...draftOf(null), line1: "12 Rue de Rivoli" });
    expect(Object.keys(blank)).toEqual(["name", "city", "postal_code", "country"]);
    expect(blank.country).toBe("Choose a country.");
    expect(firstWrong(blank)).toBe("name");
    expect(blankFields(draftOf({ name: "A", line1: "B", city: "C", postal_code: "D", country: "FR" }))).toEqual({});
  });

  it("makes sentences of the server's phrases", () => {
    expect(sentence("must be 1 to 20 characters")).toBe("Must be 1 to 20 characters.");
    expect(sentence("Already one.")).toBe("Already one.");
    expect(sentence("")).toBe("");
  });
});
