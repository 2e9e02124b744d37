/** Twitter's snowflake epoch (2010-11-04T01:42:54.657Z). */
const TWITTER_EPOCH = 1288834974657n;

/**
 * A snowflake id for a moment: milliseconds since Twitter's epoch in the high
 * bits, 22 low bits of worker and sequence. January 2021 gives ~1.345e18–1.349e18.
 * Always a BigInt: these exceed 2^53 and must never pass through a Number.
 */
export function snowflake(ms: number, low22: bigint): bigint {
  return ((BigInt(Math.floor(ms)) - TWITTER_EPOCH) << 22n) | (low22 & 0x3fffffn);
}

const DAY_NAMES = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTH_NAMES = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/** Twitter's created_at format, always in UTC: "Fri Jan 01 12:34:56 +0000 2021". */
export function twitterDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${DAY_NAMES[d.getUTCDay()]} ${MONTH_NAMES[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(
    d.getUTCHours(),
  )}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}
