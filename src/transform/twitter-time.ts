import { badField, isAbsent, type Where } from "./field-values.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

// v1.1 writes `Fri Jan 01 12:34:56 +0000 2021`; v2 writes ISO 8601, `2021-01-01T12:34:56.000Z`.
const V1_TIME =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;
const V2_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** The earliest and latest instants a created_at may name: years 1000 to 9999, in UTC too. */
const EARLIEST = Date.UTC(1000, 0, 1);
const LATEST = Date.UTC(10000, 0, 1);

interface Parts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC. */
  offset: number;
}

const daysIn = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whether the parts name a real moment: a calendar date, a time of day, an offset within ±14:00. */
function isReal(p: Parts): boolean {
  if (p.year < 1000) return false;
  if (p.month < 1 || p.month > 12 || p.day < 1 || p.day > daysIn(p.year, p.month)) return false;
  if (p.hour > 23 || p.minute > 59 || p.second > 59) return false;
  if (Math.abs(p.offset) > 14 * 60) return false;
  const utc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - p.offset * 60_000;
  return utc >= EARLIEST && utc < LATEST;
}

const offsetOf = (
  sign: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
) => (sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(hours) * 60 + Number(minutes)));

const V1_FORM = "is not a real date in v1.1's form (Fri Jan 01 12:00:00 +0000 2021)";
const V2_FORM = "is not a real date in v2's form (2021-01-01T12:00:00.000Z)";

/**
 * A v1.1 created_at (`Fri Jan 01 12:34:56 +0000 2021`) as ISO 8601
 * (`2021-01-01T12:34:56+00:00`), which PostgreSQL reads as timestamptz; NULL when missing.
 * Anything else, an impossible date (`Fri Feb 30 …`) included, is the line's reject.
 */
export function v1Time(value: unknown, where: Where): string | null {
  if (isAbsent(value)) return null;
  const m = typeof value === "string" ? V1_TIME.exec(value) : null;
  const month = m ? MONTHS.indexOf(m[1] as string) + 1 : 0;
  if (!m || month === 0) return badField(where, value, V1_FORM);
  const [, , dd, hh, mi, ss, sign, oh, om, yyyy] = m as unknown as string[];
  const parts = {
    year: Number(yyyy),
    month,
    day: Number(dd),
    hour: Number(hh),
    minute: Number(mi),
    second: Number(ss),
    offset: offsetOf(sign, oh, om),
  };
  if (!isReal(parts)) return badField(where, value, V1_FORM);
  return `${yyyy}-${String(month).padStart(2, "0")}-${dd}T${hh}:${mi}:${ss}${sign}${oh}:${om}`;
}

/** A v2 created_at (ISO 8601, as v2 writes it) as it is; NULL when missing; else a reject. */
export function v2Time(value: unknown, where: Where): string | null {
  if (isAbsent(value)) return null;
  const m = typeof value === "string" ? V2_TIME.exec(value) : null;
  if (!m) return badField(where, value, V2_FORM);
  const [, yyyy, mo, dd, hh, mi, ss, sign, oh, om] = m as unknown as (string | undefined)[];
  const parts = {
    year: Number(yyyy),
    month: Number(mo),
    day: Number(dd),
    hour: Number(hh),
    minute: Number(mi),
    second: Number(ss),
    offset: offsetOf(sign, oh, om),
  };
  if (!isReal(parts)) return badField(where, value, V2_FORM);
  return value as string;
}
