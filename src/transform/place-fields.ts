import { badField, type Where } from "./field-values.js";

const COUNTRY_CODE = /^[A-Za-z]{0,2}$/;

/**
 * A place's country code lower-cased, or null: two ASCII letters at most, so that it fits
 * VARCHAR(2) and lower-cases alike in JavaScript and in PostgreSQL whatever the server's
 * locale (docs/line-rules.md). Anything else is the line's reject.
 */
export function countryCodeOf(code: string | null, where: Where): string | null {
  if (code === null) return null;
  if (!COUNTRY_CODE.test(code))
    return badField(where, code, "is not a country code of two letters");
  return code.toLowerCase();
}

/** Lower-cases A-Z only, as PostgreSQL's lower() does under COLLATE "C". */
const asciiLower = (s: string): string => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** Removes spaces, tabs, carriage returns and newlines at both ends, as btrim(s, E' \t\r\n'). */
const trimBlanks = (s: string): string => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");

/**
 * `state_code`: for US places the last comma-separated part of full_name, trimmed and
 * lower-cased, when it is two characters (code points) or less. Computed as the
 * denormalized view computes it, so both agree on any text.
 */
export function stateCode(countryCode: string | null, fullName: string | null): string | null {
  if (countryCode !== "us" || fullName === null) return null;
  const last = asciiLower(trimBlanks(fullName.slice(fullName.lastIndexOf(",") + 1)));
  if (last.length <= 2) return last;
  let n = 0;
  for (const _ of last) if (++n > 2) return null;
  return last;
}
