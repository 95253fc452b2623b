import { describe, expect, it } from "vitest";
import { ApiError } from "./api/client";
import { fieldRefusal, firstWithMessage } from "./fields";

const validation = (body: object) =>
  new ApiError("client", 422, { type: "urn:shop:problem:validation", title: "The request content is invalid", status: 422, ...body });

describe("fieldRefusal", () => {
  it("puts a refusal of one input beside it, without the field's name", () => {
    expect(
      fieldRefusal(validation({ field: "password", detail: "password: must be at least 12 characters" }), ["email", "password"] as const),
    ).toEqual({ fields: { password: "Must be at least 12 characters." }, other: [] });
  });

  it("gives a message that follows the field's name a subject", () => {
    expect(fieldRefusal(validation({ field: "current_password", detail: "current_password: is not your current password" }), ["current_password"])).toEqual({
      fields: { current_password: "This is not your current password." },
      other: [],
    });
  });

  it("reads the address book's nested names, and says above the form what it has no input for", () => {
    const refusal = fieldRefusal(
      validation({
        field: "address.postal_code",
        errors: [
          { field: "address.postal_code", message: "must be 1 to 20 letters, digits, spaces or hyphens" },
          { field: "default_shipping", message: "must be a boolean" },
        ],
      }),
      ["name", "postal_code"] as const,
      "address.",
    );
    expect(refusal).toEqual({
      fields: { postal_code: "Must be 1 to 20 letters, digits, spaces or hyphens." },
      other: ["Default_shipping: must be a boolean."],
    });
    expect(firstWithMessage(["name", "postal_code"] as const, refusal?.fields ?? {})).toBe("postal_code");
  });

  it("says a refusal of no input above the form, and is no refusal of inputs for other failures", () => {
    expect(fieldRefusal(validation({ detail: "an address book holds at most 20 addresses; delete one first" }), ["name"])).toEqual({
      fields: {},
      other: ["An address book holds at most 20 addresses; delete one first."],
    });
    expect(fieldRefusal(new ApiError("client", 401, { type: "urn:shop:problem:invalid-credentials", title: "x", status: 401 }), ["email"])).toBeNull();
    expect(fieldRefusal(new ApiError("network", 0), ["email"])).toBeNull();
    expect(fieldRefusal(new Error("boom"), ["email"])).toBeNull();
  });
});
