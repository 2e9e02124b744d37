import { beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { hashInt8, urlId } from "../../src/load/normalized/citus-hash.js";
import { shardIndex } from "../../src/load/normalized/shard-groups.js";
import { adminUrl } from "./helpers/database.js";

/** Ids where a sign, a 32-bit half or the extremes could be mishandled, and random ones. */
function ids(): bigint[] {
  const fixed = [
    0n,
    1n,
    -1n,
    42n,
    2n ** 31n,
    -(2n ** 31n),
    2n ** 32n - 1n,
    2n ** 32n,
    -(2n ** 32n),
  ];
  fixed.push(2n ** 63n - 1n, -(2n ** 63n), 1356283590374027264n, -1356283590374027264n);
  const random: bigint[] = [];
  for (let i = 0; i < 2000; i++) {
    const hi = BigInt(Math.floor(Math.random() * 2 ** 32));
    const lo = BigInt(Math.floor(Math.random() * 2 ** 32));
    random.push(BigInt.asIntN(64, (hi << 32n) | lo));
  }
  return [...fixed, ...random];
}

describe("the client's copy of the hashes Citus places rows by", () => {
  let url: string;
  beforeAll(() => {
    url = adminUrl();
  });

  it("hashInt8 equals the server's hashint8 for every id, negative and extreme ones included", async () => {
    const all = ids();
    const { rows } = await withClient(url, (c) =>
      c.query<{ h: number }>(
        "SELECT hashint8(id) AS h FROM unnest($1::bigint[]) WITH ORDINALITY AS x (id, o) ORDER BY o",
        [all.map(String)],
      ),
    );
    expect(all.map(hashInt8)).toEqual(rows.map((r) => r.h));
  });

  it("urlId equals tweetload_url_id's md5 prefix, for non-ASCII urls too", async () => {
    const urls = [
      "http://a",
      "https://t.co/AbC123",
      "https://例え.jp/パス?q=ü",
      "https://x.y/😀",
      "",
    ];
    const { rows } = await withClient(url, (c) =>
      c.query<{ id: string }>(
        `SELECT ('x' || substr(md5(u), 1, 16))::bit(64)::bigint::text AS id
           FROM unnest($1::text[]) WITH ORDINALITY AS x (u, o) ORDER BY o`,
        [urls],
      ),
    );
    expect(urls.map((u) => String(urlId(u)))).toEqual(rows.map((r) => r.id));
  });

  it("shardIndex picks the shard whose hash range holds the key's hash", () => {
    // Four shards as Citus makes them: each starts at its minimum hash.
    const mins = [-2147483648, -1073741824, 0, 1073741824];
    const key = ids().find((id) => hashInt8(id) >= 0 && hashInt8(id) < 1073741824) ?? 0n;
    expect(shardIndex(mins, key)).toBe(2);
    const low = ids().find((id) => hashInt8(id) < -1073741824) ?? 0n;
    expect(shardIndex(mins, low)).toBe(0);
  });
});
