// The country select's list: no endpoint names the countries the shop ships to yet, so it offers
// every ISO 3166-1 code and the server refuses, field by field, those it does not ship to.

import type { Schemas } from "./api/client";

export type Country = Schemas["Country"];

const CODES = [
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB",
  "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY",
  "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX",
  "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK",
  "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
  "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR",
  "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA",
  "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
  "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE",
  "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
  "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG",
  "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF",
  "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY",
  "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
] as const satisfies readonly Country[];

// A code the API adds to its Country enum fails the type check here until the list has it too.
type Unlisted = Exclude<Country, (typeof CODES)[number]>;
const everyCountryListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyCountryListed;

export interface CountryOption {
  code: Country;
  name: string;
}

const lists = new Map<string, CountryOption[]>();

/** Every country with its name in `locale`, sorted by name as a reader of that language expects. */
export function countryOptions(locale = "en"): CountryOption[] {
  let list = lists.get(locale);
  if (!list) {
    const names = new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
    const collator = new Intl.Collator(locale);
    list = CODES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) => collator.compare(a.name, b.name));
    lists.set(locale, list);
  }
  return list;
}

export function countryName(code: string, locale = "en"): string {
  return countryOptions(locale).find((option) => option.code === code)?.name ?? code;
}

export function isCountry(code: string): code is Country {
  return (CODES as readonly string[]).includes(code);
}

/**
 * The country a new address most likely has: the region of the first browser language that names
 * one ("en-GB" gives GB). A bare language says nothing about where the shopper lives.
 */
export function likelyCountry(languages: readonly string[]): Country | "" {
  for (const tag of languages) {
    try {
      const region = new Intl.Locale(tag).region;
      if (region && isCountry(region)) return region;
    } catch {
      // Not a well-formed language tag: ask the next one.
    }
  }
  return "";
}
