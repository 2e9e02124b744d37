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

/**
 * The exact decimal digits of a 64-bit id field: the `<key>_str` twin where present, else
 * the value itself when it is a string (exact parse) or a number JSON.parse kept exactly.
 * Missing or null → null. A number above 2^53 without a twin throws InexactIdError.
 */
export function idOf(obj: Record<string, unknown>, key: string): string | null {
  const twin = obj[`${key}_str`];
  if (typeof twin === "string" && DIGITS.test(twin)) return twin;
  const value = obj[key];
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return DIGITS.test(value) ? value : null;
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return String(value);
    throw new InexactIdError(key);
  }
  return null;
}
