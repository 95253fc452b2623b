import { describe, expect, it } from "vitest";
import { countryName, countryOptions, isCountry, likelyCountry } from "./countries";

describe("countries", () => {
  it("lists every ISO 3166-1 code once, by English name", () => {
    const options = countryOptions();
    expect(options).toHaveLength(249);
    expect(new Set(options.map((option) => option.code)).size).toBe(249);
    const names = options.map((option) => option.name);
    expect(names).toEqual([...names].sort(new Intl.Collator("en").compare));
    expect(names.indexOf("France")).toBeLessThan(names.indexOf("Germany"));
    expect(countryName("FR")).toBe("France");
    expect(countryName("GB")).toBe("United Kingdom");
    expect(countryName("ZZ")).toBe("ZZ");
  });

  it("guesses the country from a browser language that names a region", () => {
    expect(likelyCountry(["fr", "en-GB", "de-DE"])).toBe("GB");
    expect(likelyCountry(["fr"])).toBe("");
    expect(likelyCountry(["not a tag", "de-AT"])).toBe("AT");
    expect(likelyCountry(["es-419"])).toBe("");
    expect(isCountry("FR")).toBe(true);
    expect(isCountry("XK")).toBe(false);
  });
});
