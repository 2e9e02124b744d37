import { BadLineError } from "../errors.js";

/**
 * Most digits, and the largest exponent, a number of a line may have (docs/line-rules.md):
 * within them PostgreSQL's jsonb holds any number (at most 131,072 digits before the
 * point and 16,383 after it: 6,000 digits moved by 9,999 places fit both).
 */
export const MAX_NUMBER_DIGITS = 6_000;
export const MAX_NUMBER_EXPONENT = 9_999;

// Cheap tests first (a regular expression costs a third of JSON.parse; one that looks for
// long digit runs too, three quarters): only an exponent of five digits, or a line longer
// than MAX_NUMBER_DIGITS, can break the limits. The exact scan below then skips strings,
// where such text is harmless (a url holding "1e23456").
const LONG_EXPONENT = /\d[eE][+-]?\d{5}/;
const LONG_NUMBER = /\d{6001}/;

const QUOTE = 34;
const BACKSLASH = 92;
const NUMBER = /-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?/y;

/** The first number of JSON `text` outside strings that is past the limits, as written, or null. */
function numberPastLimits(text: string): string | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) {
        if (text.charCodeAt(i) === BACKSLASH) i++;
      }
    } else if (c === 45 || (c >= 48 && c <= 57)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (m === null) continue;
      const digits = (m[1]?.length ?? 0) + (m[2]?.length ?? 0);
      const exponent = m[3] === undefined ? 0 : Math.abs(Number(m[3]));
      if (digits > MAX_NUMBER_DIGITS || exponent > MAX_NUMBER_EXPONENT) return m[0];
      i += m[0].length - 1;
    }
  }
  return null;
}

/**
 * Refuses a line holding a number of more than MAX_NUMBER_DIGITS digits or an exponent past
 * ±MAX_NUMBER_EXPONENT: PostgreSQL's jsonb refuses some of them (`1e-20000`, which
 * JavaScript reads as 0), so pg_denormalized could not store a line the other databases
 * load. No tweet writes such a number.
 */
export function checkNumbers(text: string): void {
  if (!LONG_EXPONENT.test(text) && !(text.length > MAX_NUMBER_DIGITS && LONG_NUMBER.test(text))) {
    return;
  }
  const number = numberPastLimits(text);
  if (number === null) return;
  const shown =
    number.length > 40 ? `${number.slice(0, 40)}… (${number.length} characters)` : number;
  throw new BadLineError(
    `the number ${shown} has more than ${MAX_NUMBER_DIGITS} digits or an exponent past ±${MAX_NUMBER_EXPONENT}, which PostgreSQL's jsonb cannot always hold`,
  );
}
