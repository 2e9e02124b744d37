import { BadLineError } from "../errors.js";
import { arrayValue, badField, isAbsent, objectValue, type Where } from "./field-values.js";
import { MAX_ITEMS } from "./tweet-limits.js";

type Position = [number, number];

const inRange = (n: unknown, limit: number): boolean =>
  typeof n === "number" && n >= -limit && n <= limit;

/**
 * A GeoJSON position [longitude, latitude, …] whose two numbers are in range (longitude
 * −180…180, latitude −90…90); anything else is the line's reject (docs/line-rules.md).
 */
function position(value: unknown, where: Where): Position {
  if (
    Array.isArray(value) &&
    value.length >= 2 &&
    inRange(value[0], 180) &&
    inRange(value[1], 90)
  ) {
    return value as Position;
  }
  return badField(where, value, "is not a position [longitude −180…180, latitude −90…90]");
}

/**
 * A double as PostgreSQL's float8 output spells it (shortest round-trip digits, exponent
 * form below 1e-4 and from 1e15), so text-mode WKT matches what SQL computes from JSONB.
 */
export function float8Text(n: number): string {
  // Between 1e-4 and 1e15 both spell the shortest digits without an exponent.
  const magnitude = Math.abs(n);
  if (magnitude >= 1e-4 && magnitude < 1e15) return String(n);
  if (Object.is(n, -0)) return "-0";
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity";
  const [mantissa, exp] = n.toExponential().split("e") as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 15)
    return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return String(n);
}

const pos = (p: Position) => `${float8Text(p[0])} ${float8Text(p[1])}`;

function ringWkt(ring: Position[]): string {
  const first = ring[0] as Position;
  const last = ring[ring.length - 1] as Position;
  const closed = first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
  return `(${closed.map(pos).join(",")})`;
}

/** The point of a GeoJSON `coordinates` object (`{"type":"Point","coordinates":[lon, lat]}`), or null. */
export function pointOf(coordinates: unknown, where: string): Position | null {
  const point = objectValue(coordinates, where)?.coordinates;
  return isAbsent(point) ? null : position(point, `${where}.coordinates`);
}

/**
 * The rings of a bounding box's `coordinates` (a GeoJSON Polygon: rings of positions), at
 * most MAX_ITEMS positions in all; null or an empty list is no box.
 */
export function boxOf(coordinates: unknown, where: string): Position[][] | null {
  const rings = arrayValue(coordinates, where);
  if (rings === null || rings.length === 0) return null;
  let positions = 0;
  return rings.map((ring, r) => {
    const list = arrayValue(ring, () => `${where}[${r}]`);
    if (list === null || list.length === 0)
      return badField(() => `${where}[${r}]`, ring, "is not a ring of positions");
    positions += list.length;
    if (positions > MAX_ITEMS) {
      throw new BadLineError(
        `${where} holds more than the ${MAX_ITEMS} positions a place may hold`,
      );
    }
    return list.map((p, i) => position(p, () => `${where}[${r}][${i}]`));
  });
}

/**
 * The tweet's location as WKT (no SRID prefix; SRID 4326 is implied): the point when there
 * is one, else the box as a closed MULTIPOLYGON, else null. Spelled as PostGIS's ST_AsText
 * spells it.
 */
export function geoWkt(point: Position | null, box: Position[][] | null): string | null {
  if (point !== null) return `POINT(${pos(point)})`;
  return box === null ? null : `MULTIPOLYGON((${box.map(ringWkt).join(",")}))`;
}

/** How `tweets.geo` is stored: PostGIS geometry (SRID 4326) or WKT text. */
export type GeoMode = "postgis" | "text";

/** EWKT for COPY into a PostGIS geometry column; plain WKT for a text column. */
export function geoForMode(wkt: string | null, mode: GeoMode): string | null {
  return wkt !== null && mode === "postgis" ? `SRID=4326;${wkt}` : wkt;
}
