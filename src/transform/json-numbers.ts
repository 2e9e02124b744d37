import { BadLineError } from "./bad-line.js";

/** Most digits, and the largest exponent, a number of a line may have (docs/line-rules.md). */
export const MAX_NUMBER_DIGITS = 1000;
export const MAX_NUMBER_EXPONENT = 1000;

// Cheap test first: only a run of more than MAX_NUMBER_DIGITS digits or a 4-digit exponent
// can break the limits; the exact scan below then skips strings, where such text is harmless.
const SUSPECT = /\d{1001}|[eE][+-]?\d{4}/;

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
  if (!SUSPECT.test(text)) return;
  const number = numberPastLimits(text);
  if (number === null) return;
  const shown =
    number.length > 40 ? `${number.slice(0, 40)}… (${number.length} characters)` : number;
  throw new BadLineError(
    `the number ${shown} has more than ${MAX_NUMBER_DIGITS} digits or an exponent past ±${MAX_NUMBER_EXPONENT}, which PostgreSQL's jsonb cannot always hold`,
  );
}
