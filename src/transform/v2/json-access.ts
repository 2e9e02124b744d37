/** Small readers of parsed JSON: a wrong type reads as missing, never as an error. */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj | null => (isObj(v) ? v : null);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const int = (v: unknown): number | null => (typeof v === "number" ? v : null);
export const bool = (v: unknown): boolean | null => (typeof v === "boolean" ? v : null);
