import { createHash } from "node:crypto";

/**
 * The hashes Citus places rows by, computed in the client so that the per-tweet loader
 * can group a tweet's rows by shard without asking the server. Both are checked against
 * the server's own functions (test/integration/citus-hash.test.ts).
 */

const MASK64 = (1n << 64n) - 1n;
const rot = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** PostgreSQL's hash_uint32: Bob Jenkins' final mix of one 32-bit word. */
function hashUint32(k: number): number {
  let a = (0x9e3779b9 + 4 + 3923095 + k) >>> 0;
  let b = (0x9e3779b9 + 4 + 3923095) >>> 0;
  let c = b;
  c = ((c ^ b) - rot(b, 14)) >>> 0;
  a = ((a ^ c) - rot(c, 11)) >>> 0;
  b = ((b ^ a) - rot(a, 25)) >>> 0;
  c = ((c ^ b) - rot(b, 16)) >>> 0;
  a = ((a ^ c) - rot(c, 4)) >>> 0;
  b = ((b ^ a) - rot(a, 14)) >>> 0;
  c = ((c ^ b) - rot(b, 24)) >>> 0;
  return c | 0;
}

/** PostgreSQL's hashint8 (the hash of a bigint distribution column), as a signed int32. */
export function hashInt8(id: bigint): number {
  const v = BigInt.asUintN(64, id);
  const lo = Number(v & 0xffffffffn);
  const hi = Number(v >> 32n);
  return hashUint32((id >= 0n ? lo ^ hi : lo ^ ~hi) >>> 0);
}

/** tweetload_url_id(url) of services/citus/pg_normalized.sql: md5's first 64 bits, signed. */
export function urlId(url: string): bigint {
  const hex = createHash("md5").update(url, "utf8").digest("hex").slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`) & MASK64);
}
