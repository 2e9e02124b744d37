const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DIGITS = /^-?\d+$/;

/** Index just past the JSON string that opens at `start` (a quote), or -1 if it never closes. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  return -1;
}

/** Index of the first character at or after `i` that is not JSON whitespace. */
function skipSpace(text: string, i: number): number {
  let j = i;
  while (j < text.length && " \t\r\n".includes(text.charAt(j))) j++;
  return j;
}

/** The raw token of a number (or bare word) value starting at `i`. */
function bareToken(text: string, i: number): string {
  let j = i;
  while (j < text.length && !",}] \t\r\n".includes(text.charAt(j))) j++;
  return text.slice(i, j);
}

/**
 * The tweet id of a JSON line as the loaders read it (the `id_str` twin when it is digits,
 * else `id` as a whole number or a string of digits), found without parsing the line: one
 * pass over the characters that stops as soon as the top-level `id_str` is read, which in
 * tweets comes within the first hundred characters. Keys nested in other objects (the
 * user's id, a quoted tweet's) are skipped by depth. Null when the line has no such id at
 * its top level or is not an object: the caller then judges the line as the other loaders
 * do. The denormalized loader sends this id as tweets_jsonb.id_tweets, the distribution
 * column on Citus.
 */
export function lineTweetId(text: string): string | null {
  let i = skipSpace(text, 0);
  if (text.charAt(i) !== "{") return null;
  let depth = 0;
  let expectKey = false;
  let id: string | null = null;
  for (; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end === -1) return null;
      if (depth === 1 && expectKey) {
        const key = text.slice(i + 1, end - 1);
        expectKey = false;
        i = skipSpace(text, end);
        if (text.charAt(i) !== ":") return null;
        i = skipSpace(text, i + 1);
        if (key !== "id" && key !== "id_str") {
          i--;
          continue;
        }
        const valueEnd = text.charAt(i) === '"' ? stringEnd(text, i) : -1;
        const value = valueEnd === -1 ? bareToken(text, i) : text.slice(i + 1, valueEnd - 1);
        if (key === "id_str" && valueEnd !== -1 && DIGITS.test(value)) return value;
        if (key === "id" && DIGITS.test(value)) id = value;
        i = (valueEnd === -1 ? i + value.length : valueEnd) - 1;
        continue;
      }
      i = end - 1;
    } else if (c === "{" || c === "[") {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return id;
    } else if (c === "," && depth === 1) {
      expectKey = true;
    }
  }
  return null;
}
