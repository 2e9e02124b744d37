/** Removes NUL characters from a parsed string (PostgreSQL text cannot hold them). */
export function stripNul(value: string): string {
  return value.includes("\0") ? value.replaceAll("\0", "") : value;
}

// A `\u0000` escape counts only when preceded by an even number of backslashes: in
// `\\u0000` the backslash is itself escaped and the letters are ordinary text.
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * Removes the JSON escape `\u0000` from raw JSON text, leaving `\\u0000` (an escaped
 * backslash followed by the letters u0000) untouched. Cheap when there is no escape.
 */
export function stripNulEscapes(json: string): string {
  return json.includes("\\u0000") ? json.replace(NUL_ESCAPE, "$1") : json;
}
