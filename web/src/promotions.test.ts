import { describe, expect, it } from "vitest";
import { ApiError } from "./api/client";
import { promotionRefusal } from "./promotions";

const refused = (kind: string, detail: string) =>
  new ApiError("client", 422, { type: `urn:shop:problem:promotion-${kind}`, title: "t", status: 422, detail, field: "code" });

describe("promotionRefusal", () => {
  it("says each refusal in the shopper's words", () => {
    expect(promotionRefusal(refused("expired", "code: the promotion SUMMER has ended"))).toBe("This code has expired.");
    expect(promotionRefusal(refused("exhausted", "code: …"))).toBe("This code has been used up.");
    expect(promotionRefusal(refused("already-used", "code: …"))).toBe("This email has used this code already.");
  });

  it("keeps the server's minimum, which only it knows", () => {
    expect(promotionRefusal(refused("minimum-not-met", "code: BIG needs a subtotal of at least 50.00 EUR"))).toBe(
      "BIG needs a subtotal of at least 50.00 EUR.",
    );
  });

  it("leaves other failures to the page", () => {
    expect(promotionRefusal(new ApiError("client", 404))).toBeNull();
    expect(promotionRefusal(new Error("boom"))).toBeNull();
  });
});
