/**
 * Serializes generated tweets to compact JSON text. Unlike JSON.stringify it
 * writes BigInt values as exact integer literals (tweet and user ids exceed
 * 2^53) and can write non-ASCII characters as \uXXXX escapes, as many real
 * producers do.
 */

/** A string that is written with every non-ASCII UTF-16 unit escaped as \uXXXX. */
export class AsciiEscaped {
  constructor(readonly value: string) {}
}

/** A number written with a fixed text (e.g. coordinates with their decimals). */
export class RawNumber {
  constructor(readonly text: string) {}
}

export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | AsciiEscaped
  | RawNumber
  | JsonValue[]
  | { [key: string]: JsonValue | undefined };

const NON_ASCII = /[\u0080-\uffff]/g;

function escapeNonAscii(json: string): string {
  return json.replace(NON_ASCII, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Compact JSON for `value`; with `ascii`, every string is written ASCII-only. */
export function toJsonText(value: JsonValue, ascii = false): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} as JSON`);
      return String(value);
    case "bigint":
      return value.toString();
    case "string":
      return ascii ? escapeNonAscii(JSON.stringify(value)) : JSON.stringify(value);
  }
  if (value instanceof AsciiEscaped) return escapeNonAscii(JSON.stringify(value.value));
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => toJsonText(v, ascii)).join(",")}]`;
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${toJsonText(v, ascii)}`);
  }
  return `{${parts.join(",")}}`;
}

/** A decimal with at most `digits` decimals and no exponent, e.g. -73.9857. */
export function fixed(x: number, digits: number): RawNumber {
  let text = x.toFixed(digits);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  if (text === "-0") text = "0";
  return new RawNumber(text);
}
