/** A value a COPY text-format column can take; arrays become PostgreSQL array literals. */
export type CopyValue = string | number | boolean | null | readonly (string | null)[];

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Escapes text for COPY's text format: backslash, tab, newline and carriage return. */
export function escapeCopyText(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPES, (c) => ESCAPED[c] as string) : value;
}

/** A PostgreSQL array literal, every element double-quoted or NULL: `{"a","b \"c\"",NULL}`. */
export function arrayLiteral(items: readonly (string | null)[]): string {
  return `{${items.map((s) => (s === null ? "NULL" : `"${s.replace(/["\\]/g, "\\$&")}"`)).join(",")}}`;
}

/** One column in COPY text format; null is `\N`. */
export function copyField(value: CopyValue): string {
  if (value === null) return "\\N";
  if (typeof value === "string") return escapeCopyText(value);
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "t" : "f";
  return escapeCopyText(arrayLiteral(value));
}

/** One row in COPY text format, newline-terminated. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = copyField(values[0] ?? null);
  for (let i = 1; i < values.length; i++) line += `\t${copyField(values[i] ?? null)}`;
  return `${line}\n`;
}
