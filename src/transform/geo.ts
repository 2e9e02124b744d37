type Position = [number, number];

const isPosition = (value: unknown): value is Position =>
  Array.isArray(value) &&
  value.length >= 2 &&
  typeof value[0] === "number" &&
  typeof value[1] === "number";

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

function ringWkt(ring: unknown): string | null {
  if (!Array.isArray(ring) || ring.length === 0 || !ring.every(isPosition)) return null;
  const points = ring as Position[];
  const first = points[0] as Position;
  const last = points[points.length - 1] as Position;
  const closed = first[0] === last[0] && first[1] === last[1] ? points : [...points, first];
  return `(${closed.map(pos).join(",")})`;
}

/**
 * The tweet's location as WKT (no SRID prefix; SRID 4326 is implied): the GeoJSON point of
 * `coordinates` (longitude first) when present, else the place's bounding box as a closed
 * MULTIPOLYGON, else null. Spelled as PostGIS's ST_AsText spells it.
 */
export function geoWkt(coordinates: unknown, place: unknown): string | null {
  const point = (coordinates as { coordinates?: unknown } | null | undefined)?.coordinates;
  if (isPosition(point)) return `POINT(${pos(point)})`;
  const box = (place as { bounding_box?: { coordinates?: unknown } } | null | undefined)
    ?.bounding_box?.coordinates;
  if (!Array.isArray(box) || box.length === 0) return null;
  const rings = box.map(ringWkt);
  if (rings.some((r) => r === null)) return null;
  return `MULTIPOLYGON((${rings.join(",")}))`;
}

/** How `tweets.geo` is stored: PostGIS geometry (SRID 4326) or WKT text. */
export type GeoMode = "postgis" | "text";

/** EWKT for COPY into a PostGIS geometry column; plain WKT for a text column. */
export function geoForMode(wkt: string | null, mode: GeoMode): string | null {
  return wkt !== null && mode === "postgis" ? `SRID=4326;${wkt}` : wkt;
}
