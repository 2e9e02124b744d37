import { BadLineError } from "../errors.js";

/**
 * The value rules of docs/line-rules.md for the fields tweetload reads: a value either fits
 * its column or the line is a reject whose reason names the field and the value. A missing
 * field and JSON null read as NULL (the contract's "missing optional fields"); any other
 * value of the wrong kind is never read as NULL, clamped or converted.
 */

/** Where a field is: its path, or a function that spells it (made only when a value is bad). */
export type Where = string | (() => string);

/** INTEGER's range: every count column of the schemas is INTEGER. */
export const INTEGER_MIN = -2147483648;
export const INTEGER_MAX = 2147483647;

const SHOWN_CHARS = 60;

/** A value as the reason shows it: JSON, cut short; numbers JSON cannot spell by name. */
export function shown(value: unknown): string {
  if (typeof value === "number" && !Number.isFinite(value)) {
    return Number.isNaN(value) ? "NaN" : "a number beyond a double's range";
  }
  const json = JSON.stringify(value) ?? String(value);
  return json.length > SHOWN_CHARS ? `${json.slice(0, SHOWN_CHARS)}…` : json;
}

const pathOf = (where: Where): string => (typeof where === "string" ? where : where());

/** Throws the reject of a field whose value does not fit: `<field> <value> <why>`. */
export function badField(where: Where, value: unknown, why: string): never {
  throw new BadLineError(`${pathOf(where)} ${shown(value)} ${why}`);
}

/** A JSON value that reads as NULL: the field is missing or null. */
export const isAbsent = (v: unknown): v is null | undefined => v === null || v === undefined;

/** A count (INTEGER column): a JSON number that is a whole number inside INTEGER, or NULL. */
export function countValue(v: unknown, where: Where): number | null {
  if (isAbsent(v)) return null;
  if (typeof v === "number" && Number.isInteger(v) && v >= INTEGER_MIN && v <= INTEGER_MAX) {
    // -0 is 0 (COPY and PostgreSQL's numeric agree).
    return v === 0 ? 0 : v;
  }
  return badField(
    where,
    v,
    `is not a whole number from ${INTEGER_MIN} to ${INTEGER_MAX} (a count is an INTEGER)`,
  );
}

/** A BOOLEAN column: JSON true or false, or NULL. */
export function flagValue(v: unknown, where: Where): boolean | null {
  if (isAbsent(v) || typeof v === "boolean") return v ?? null;
  return badField(where, v, "is not true or false");
}

/** A TEXT column: a JSON string, or NULL. */
export function checkText(v: unknown, where: Where): void {
  if (isAbsent(v) || typeof v === "string") return;
  badField(where, v, "is not a string");
}

/** An object the rules read into (user, place, entities, …): an object, or NULL. */
export function objectValue(v: unknown, where: Where): Record<string, unknown> | null {
  if (isAbsent(v)) return null;
  if (typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  return badField(where, v, "is not an object");
}

/** A list the rules read (entities, countries, rings): an array, or NULL. */
export function arrayValue(v: unknown, where: Where): unknown[] | null {
  if (isAbsent(v)) return null;
  if (Array.isArray(v)) return v;
  return badField(where, v, "is not an array");
}
