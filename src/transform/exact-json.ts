import { BadLineError, InexactIdError } from "../errors.js";
import { badField, isAbsent, shown } from "./field-values.js";

// Strings are matched whole so digits inside them are never touched; an integer literal of
// 16 or more digits outside a string (not a fraction or exponent part) becomes a string.
const BIG_INTEGER = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

/**
 * Rewrites every integer literal of 16+ digits outside strings into a JSON string, so
 * `JSON.parse` keeps it digit for digit. Slower than a plain parse; used only as fallback.
 */
export function quoteBigIntegers(json: string): string {
  return json.replace(BIG_INTEGER, (token) => (token.charCodeAt(0) === 34 ? token : `"${token}"`));
}

/** Parses one line of JSON; a syntax error becomes a BadLineError. */
export function parseJsonLine(text: string, exact = false): unknown {
  try {
    return JSON.parse(exact ? quoteBigIntegers(text) : text);
  } catch (error) {
    throw new BadLineError(`not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

const DIGITS = /^-?\d+$/;
const BIGINT_MAX = "9223372036854775807";
const BIGINT_MIN_ABS = "9223372036854775808";

/** Whether decimal digits (optionally signed) fit PostgreSQL's BIGINT. */
export function fitsBigint(digits: string): boolean {
  const negative = digits.startsWith("-");
  const abs = (negative ? digits.slice(1) : digits).replace(/^0+(?=\d)/, "");
  const limit = negative ? BIGINT_MIN_ABS : BIGINT_MAX;
  return abs.length < limit.length || (abs.length === limit.length && abs <= limit);
}

/** `digits` when they fit BIGINT; otherwise the line is bad input in every loader alike. */
function inRange(path: string, digits: string): string {
  if (fitsBigint(digits)) return digits;
  throw new BadLineError(
    `${path} ${digits} is outside PostgreSQL's BIGINT (64-bit ids have at most 19 digits)`,
  );
}

const NOT_DIGITS = "is not a string of digits (an id's _str twin)";
const NOT_ID = "is not an id: a whole number or a string of digits";

/**
 * The exact decimal digits of a 64-bit id field (docs/line-rules.md, "Ids"): the
 * `<key>_str` twin where present, else the value itself when it is a string of digits
 * (exact parse) or a whole number JSON.parse kept exactly (`5.0` is 5). Missing or null →
 * null. A number above 2^53 without a twin throws InexactIdError; an id outside BIGINT, a
 * fraction, a twin that is not digits, or any other value is the line's reject. `prefix`
 * is the path of `obj` in the line (`entities.user_mentions[2].`), for the reason.
 */
export function idOf(obj: Record<string, unknown>, key: string, prefix = ""): string | null {
  const twin = obj[`${key}_str`];
  if (!isAbsent(twin)) {
    if (typeof twin === "string" && DIGITS.test(twin)) return inRange(`${prefix}${key}_str`, twin);
    return badField(`${prefix}${key}_str`, twin, NOT_DIGITS);
  }
  const value = obj[key];
  if (isAbsent(value)) return null;
  if (typeof value === "string") {
    return DIGITS.test(value)
      ? inRange(prefix + key, value)
      : badField(prefix + key, value, NOT_ID);
  }
  if (typeof value === "number") {
    // -0 is the id 0, as PostgreSQL reads it.
    if (Number.isSafeInteger(value)) return String(value === 0 ? 0 : value);
    if (!Number.isFinite(value)) {
      return badField(prefix + key, value, "is outside PostgreSQL's BIGINT");
    }
    if (!Number.isInteger(value)) return badField(prefix + key, value, "is not a whole number");
    throw new InexactIdError(prefix + key, shown(value));
  }
  return badField(prefix + key, value, NOT_ID);
}
