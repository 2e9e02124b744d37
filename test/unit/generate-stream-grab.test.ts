import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLossless } from "../../src/check/lossless-json.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { cpLength } from "../../src/generate/text.js";
import { readLines } from "../../src/input/read-lines.js";
import { tarEntries } from "../../src/input/tar-entries.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-streamgrab-gen-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function textsOf(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) for await (const line of readLines(path)) out.push(line.text);
  return out;
}

const isNotice = (text: string) => text.startsWith('{"delete"');

/** A generated tweet as parsed (ids as their digits). */
type Tweet = Record<string, unknown> & {
  id_str: string;
  text: string;
  created_at: string;
  coordinates: unknown;
  place: unknown;
  user: Record<string, unknown>;
};

describe("generate --era 2012", () => {
  it("writes 2011-2013 tweets: 140 characters, none of the later fields, places often missing", async () => {
    const paths = await generateArchives({
      outDir: join(dir, "era"),
      files: 2,
      tweetsPerFile: 400,
      seed: 5,
      era: "2012",
    });
    expect(paths.map((p) => p.slice(-22))).toEqual([
      "geoTwitter12-01-01.zip",
      "geoTwitter12-01-02.zip",
    ]);
    const tweets = (await textsOf(paths)).map((t) => parseLossless(t) as Tweet);
    expect(tweets).toHaveLength(803);
    for (const t of tweets) {
      for (const later of [
        "extended_tweet",
        "display_text_range",
        "quote_count",
        "reply_count",
        "favorite_count",
        "quoted_status",
        "extended_entities",
        "timestamp_ms",
        "filter_level",
      ])
        expect(t).not.toHaveProperty(later);
      expect(t.user).not.toHaveProperty("translator_type");
      expect(t.truncated).toBe(false);
      expect(cpLength(String(t.text))).toBeLessThanOrEqual(140);
      expect(t.created_at).toMatch(/ 2012$/);
      expect(Number(t.user.followers_count)).toBeGreaterThanOrEqual(0);
      // The snowflake id holds the tweet's own time.
      const ms = Number((BigInt(t.id_str) >> 22n) + 1288834974657n);
      expect(new Date(ms).getUTCFullYear()).toBe(2012);
    }
    const withPoint = tweets.filter((t) => t.coordinates !== null);
    const share = (xs: Tweet[]) => xs.filter((t) => t.place === null).length / xs.length;
    expect(share(withPoint)).toBeGreaterThan(0.3);
    expect(share(withPoint)).toBeLessThan(0.7);
    expect(share(tweets)).toBeGreaterThan(0.5);
  });
});

describe("generate --format stream-grab", () => {
  const options = {
    files: 2,
    tweetsPerFile: 300,
    seed: 9,
    era: "2012" as const,
    tweetsPerMember: 50,
  };

  it("writes one tar of per-minute members, a quarter of their lines delete notices, holding the tweets of the zips", async () => {
    const [tar] = await generateArchives({
      ...options,
      outDir: join(dir, "sg"),
      format: "stream-grab",
      memberCompression: "mixed",
    });
    expect(tar?.endsWith("twitter-stream-2012-01-01.tar")).toBe(true);
    const names: string[] = [];
    for await (const entry of tarEntries(tar as string)) {
      names.push(entry.name);
      entry.read().resume();
    }
    expect(names.slice(0, 4)).toEqual([
      "2012/01/01/00/00.json.bz2",
      "2012/01/01/00/01.json.bz2",
      "2012/01/01/00/02.json.bz2",
      "2012/01/01/00/03.json.gz",
    ]);
    // Day 2 repeats 3 tweets of day 1: 303 tweets, a seventh member of 3; every fourth
    // member of the tar is gzip.
    expect(names.slice(6)).toEqual([
      "2012/01/02/00/00.json.bz2",
      "2012/01/02/00/01.json.gz",
      "2012/01/02/00/02.json.bz2",
      "2012/01/02/00/03.json.bz2",
      "2012/01/02/00/04.json.bz2",
      "2012/01/02/00/05.json.gz",
      "2012/01/02/00/06.json.bz2",
    ]);
    const lines = await textsOf([tar as string]);
    const notices = lines.filter(isNotice);
    expect(notices.length / lines.length).toBeGreaterThan(0.2);
    expect(notices.length / lines.length).toBeLessThan(0.3);
    expect(parseLossless(notices[0] as string)).toMatchObject({ delete: { status: {} } });
    const zips = await generateArchives({ ...options, outDir: join(dir, "zips") });
    expect(lines.filter((l) => !isNotice(l))).toEqual(await textsOf(zips));
  });

  it("gives the same bytes for the same seed, and refuses more members than minutes in a day", async () => {
    const again = async (out: string) =>
      readFile(
        (
          await generateArchives({ ...options, outDir: join(dir, out), format: "stream-grab" })
        )[0] as string,
      );
    expect((await again("one")).equals(await again("two"))).toBe(true);
    await expect(
      generateArchives({
        ...options,
        outDir: join(dir, "many"),
        format: "stream-grab",
        memberCompression: "gz",
        tweetsPerFile: 1441,
        tweetsPerMember: 1,
      }),
    ).rejects.toThrow(/at most 1440 members \(one a minute\)/);
  });
});
