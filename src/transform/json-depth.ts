import { BadLineError } from "../errors.js";

/**
 * Deepest nesting of arrays and objects a line may have. Tweets nest about ten deep.
 * PostgreSQL's jsonb parser recurses and stops at its stack depth limit (about 10,000
 * levels at the default max_stack_depth of 2 MB), which would fail a whole COPY; the
 * client refuses far earlier, so that every loader rejects such a line alike.
 */
export const MAX_JSON_DEPTH = 1000;

const OPEN_BRACE = 123; // {
const OPEN_BRACKET = 91; // [

/**
 * Whether `text` may nest deeper than `max`: it has more than `max` opening brackets, the
 * only way to nest that deep. Cheap (native searches, about 30 per tweet), so lines that
 * cannot be too deep never pay for the exact scan.
 */
export function mayNestDeeper(text: string | Buffer, max = MAX_JSON_DEPTH): boolean {
  let n = 0;
  for (const c of ["{", "["]) {
    for (let i = text.indexOf(c); i !== -1; i = text.indexOf(c, i + 1)) {
      if (++n > max) return true;
    }
  }
  return false;
}

/** The deepest nesting of JSON text, brackets inside strings left out. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) deepest = Math.max(deepest, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

/**
 * Whether a parsed JSON value nests deeper than `max` (arrays and objects, as jsonDepth
 * counts them). Stops at `max`, so it never recurses further; cheaper than scanning the
 * text of a line with many brackets (a v2 page has thousands and nests about ten deep).
 */
export function nestsDeeper(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (max === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (nestsDeeper(item, max - 1)) return true;
    return false;
  }
  const obj = value as Record<string, unknown>;
  // for…in rather than Object.values: no array made per object of a 100-tweet page.
  for (const key in obj) if (nestsDeeper(obj[key], max - 1)) return true;
  return false;
}

/** Throws BadLineError when the line `text`, parsed as `value`, nests deeper than MAX_JSON_DEPTH. */
export function checkJsonDepth(text: string, value: unknown): void {
  if (!mayNestDeeper(text) || !nestsDeeper(value)) return;
  throw new BadLineError(
    `nested ${jsonDepth(text)} levels deep, deeper than the ${MAX_JSON_DEPTH} levels tweetload reads (no tweet nests that deep)`,
  );
}
