import { BadLineError } from "../errors.js";

// A `\u0000` escape counts only when preceded by an even number of backslashes: in
// `\\u0000` the backslash is itself escaped and the letters are ordinary text.
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * Removes the JSON escape `\u0000` from raw JSON text, leaving `\\u0000` (an escaped
 * backslash followed by the letters u0000) untouched. Cheap when there is no escape.
 * Every loader reads a line only after this (docs/line-rules.md, "NUL"), as pg_denormalized
 * stores it, so an id or a date holding the escape reads alike in all three databases.
 */
export function stripNulEscapes(json: string): string {
  return json.includes("\\u0000") ? json.replace(NUL_ESCAPE, "$1") : json;
}

/** The first key of a parsed JSON value that holds a NUL character, or null. */
function keyWithNul(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const key = keyWithNul(item);
      if (key !== null) return key;
    }
    return null;
  }
  for (const key in value) {
    if (key.includes("\0")) return key;
    const inner = keyWithNul((value as Record<string, unknown>)[key]);
    if (inner !== null) return inner;
  }
  return null;
}

/**
 * Refuses a line with a `\u0000` escape inside a key: removing it could make the key
 * another one (`"te\u0000xt"` becomes a second `text`), which the JSON of each database
 * would resolve its own way. `text` is the line before the escapes are removed; only
 * lines holding the escape are parsed here.
 */
export function checkNulKeys(text: string): void {
  if (!text.includes("\\u0000")) return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return; // not JSON: the parse after the removal rejects it with its reason
  }
  const key = keyWithNul(value);
  if (key !== null) {
    throw new BadLineError(
      `the key ${JSON.stringify(key)} holds the escape \\u0000, which tweetload removes: it would become another key`,
    );
  }
}
