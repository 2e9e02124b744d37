import { arrayValue, badField, checkText, type Where } from "./field-values.js";
import { capped } from "./tweet-limits.js";

/**
 * How the strings of a parsed line are taken: as they are, or decoded from a byte string
 * (see tweetToRowsOfBytes in line-to-tweets.ts). Each reader applies the value rules of
 * docs/line-rules.md: a value of the wrong kind is the line's reject, named by `where`.
 */
export interface Strings {
  /** A text field: its string, or null when it is missing or null. */
  str(v: unknown, where: Where): string | null;
  /**
   * A list of country codes (withheld_in_countries, a VARCHAR(2)[] column): strings of at
   * most two characters, at most MAX_ITEMS of them; null when missing or null.
   */
  countries(v: unknown, where: string): string[] | null;
}

const NON_ASCII = /[\x80-\xff]/;

/** The text of a byte string's UTF-8 bytes (see tweetToRowsOfBytes). */
export const fromByteString = (s: string): string =>
  NON_ASCII.test(s) ? Buffer.from(s, "latin1").toString("utf8") : s;

/** Characters as PostgreSQL counts them (code points), for the short strings this is asked of. */
const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Strings of a parsed line whose string values `decode` turns into text. */
function stringsOf(decode: (s: string) => string): Strings {
  const str = (v: unknown, where: Where): string | null => {
    checkText(v, where);
    return typeof v === "string" ? decode(v) : null;
  };
  return {
    str,
    countries(v, where) {
      const list = arrayValue(v, where);
      if (list === null) return null;
      return capped(list, where).map((item, i) => {
        const code = str(item, () => `${where}[${i}]`);
        if (code === null || (code.length > 2 && codePoints(code) > 2)) {
          return badField(
            () => `${where}[${i}]`,
            item,
            "is not a country code of two characters at most",
          );
        }
        return code;
      });
    },
  };
}

export const TEXT = stringsOf((s) => s);
export const BYTES = stringsOf(fromByteString);
