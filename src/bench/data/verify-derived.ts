import { shapeNamed } from "../cases/registry.js";
import type { DerivedShape, Sample } from "../types.js";

/**
 * Why a load of the same tweets in another shape (one archive, v2 pages) is
 * not the load of the N-file set by the same loader, or undefined when it is:
 * the same number of tweets reported, and the same rows in every table.
 */
export function derivedMismatch(
  shape: DerivedShape,
  label: string,
  got: Sample,
  expected: Sample,
): string | undefined {
  const what = shapeNamed(shape)?.words ?? `the same tweets as ${shape}`;
  if (got.tweets !== expected.tweets) {
    return `${label} loaded ${got.tweets} tweets from ${what} but ${expected.tweets} from the N-file set`;
  }
  if (!got.rows || !expected.rows) return undefined;
  const tables = [...new Set([...Object.keys(got.rows), ...Object.keys(expected.rows)])].sort();
  const differ = tables.filter((t) => got.rows?.[t] !== expected.rows?.[t]);
  if (differ.length === 0) return undefined;
  const detail = differ
    .map((t) => `${t} ${got.rows?.[t] ?? "none"} instead of ${expected.rows?.[t] ?? "none"}`)
    .join(", ");
  return `${label} left other rows from ${what} than from the N-file set: ${detail}`;
}
