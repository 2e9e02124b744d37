import { BadLineError } from "./bad-line.js";

/** Thrown by `idOf` when an id is above 2^53 and has no `_str` twin: parse exactly instead. */
export class InexactIdError extends Error {
  constructor(key: string) {
    super(`id field ${key} exceeds 2^53 and has no _str twin`);
    this.name = "InexactIdError";
  }
}

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
function inRange(key: string, digits: string): string {
  if (fitsBigint(digits)) return digits;
  throw new BadLineError(
    `not a tweet object: its ${key} ${digits} is outside PostgreSQL's BIGINT (64-bit ids have at most 19 digits)`,
  );
}

/**
 * The exact decimal digits of a 64-bit id field: the `<key>_str` twin where present, else
 * the value itself when it is a string (exact parse) or a number JSON.parse kept exactly.
 * Missing or null → null. A number above 2^53 without a twin throws InexactIdError; an id
 * outside BIGINT throws BadLineError (PostgreSQL could not hold it).
 */
export function idOf(obj: Record<string, unknown>, key: string): string | null {
  const twin = obj[`${key}_str`];
  if (typeof twin === "string" && DIGITS.test(twin)) return inRange(`${key}_str`, twin);
  const value = obj[key];
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return DIGITS.test(value) ? inRange(key, value) : null;
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return String(value);
    throw new InexactIdError(key);
  }
  return null;
}
