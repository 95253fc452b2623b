import { describe, expect, it } from "vitest";
import { ApiError, call, makeClient, userMessage } from "./client";

function problemResponse(status: number, body: object): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}

describe("call and userMessage", () => {
  it("returns data on success", async () => {
    const client = makeClient(async () => Response.json({ status: "ok" }), "http://shop.test");
    await expect(call(client.GET("/api/v1/health/live"))).resolves.toEqual({ status: "ok" });
  });

  it("maps a network failure to a retryable error", async () => {
    const client = makeClient(async () => {
      throw new TypeError("Failed to fetch");
    }, "http://shop.test");
    const error = await call(client.GET("/api/v1/health/live")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe("network");
    expect((error as ApiError).retryable).toBe(true);
    expect(userMessage(error)).toMatch(/could not reach/);
  });

  it("maps 5xx to a retryable server error without internals", async () => {
    const client = makeClient(
      async () => problemResponse(503, { type: "urn:shop:problem:unavailable", title: "Unavailable", status: 503 }),
      "http://shop.test",
    );
    const error = (await call(client.GET("/api/v1/products")).catch((e: unknown) => e)) as ApiError;
    expect(error.kind).toBe("server");
    expect(error.retryable).toBe(true);
    expect(userMessage(error)).toMatch(/on our side/);
  });

  it("names the variants that are out of stock", async () => {
    const client = makeClient(
      async () =>
        problemResponse(409, {
          type: "urn:shop:problem:insufficient-stock",
          title: "Not enough stock",
          status: 409,
          detail: "not enough stock for TEE-M (0 available)",
          shortages: [{ variant_id: "v", sku: "TEE-M", requested: 2, available: 0 }],
        }),
      "http://shop.test",
    );
    const error = (await call(client.GET("/api/v1/products")).catch((e: unknown) => e)) as ApiError;
    expect(error.kind).toBe("client");
    expect(error.retryable).toBe(false);
    expect(userMessage(error)).toBe("Not enough stock for TEE-M (0 available).");
  });

  it("uses the problem's detail for other client errors, and treats 429 as retryable", async () => {
    const detail = new ApiError("client", 422, {
      type: "urn:shop:problem:validation",
      title: "Invalid",
      status: 422,
      detail: "email: must be an address",
    });
    expect(userMessage(detail)).toBe("email: must be an address");
    const hoarding = new ApiError("client", 429, {
      type: "urn:shop:problem:too-many-checkouts",
      title: "Too many checkouts awaiting payment",
      status: 429,
    });
    expect(userMessage(hoarding)).toMatch(/checkouts waiting for payment/);
    const busy = new ApiError("client", 429);
    expect(busy.retryable).toBe(true);
    expect(userMessage(busy)).toMatch(/Too many requests/);
  });
});
