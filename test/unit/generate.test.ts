import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseLossless } from "../../src/check/lossless-json.js";
import { archiveLines } from "../../src/check/read-lines.js";
import { archiveName, generateArchives } from "../../src/generate/generate-archives.js";
import { fixed, toJsonText } from "../../src/generate/json-text.js";
import { Rng } from "../../src/generate/prng.js";

type Tweet = Record<string, unknown> & {
  id: string;
  id_str: string;
  created_at: string;
  extended_tweet?: Record<string, unknown>;
};

const FILES = 3;
const PER_FILE = 400;
let dir: string;
let paths: string[];
/** Raw lines of each archive. */
let lines: string[][];
let tweets: Tweet[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-generate-"));
  paths = await generateArchives({
    outDir: join(dir, "a"),
    files: FILES,
    tweetsPerFile: PER_FILE,
    seed: 7,
  });
  lines = [];
  for (const path of paths) {
    const fileLines: string[] = [];
    for await (const line of archiveLines(path)) fileLines.push(line);
    lines.push(fileLines);
  }
  tweets = lines.flat().map((l) => parseLossless(l) as Tweet);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Ids below 10^15 parse as numbers, larger ones as their digits. */
const asText = (v: unknown): string | null => (v === null ? null : String(v));
const share = (pick: (t: Tweet) => boolean) => tweets.filter(pick).length / tweets.length;

describe("generateArchives", () => {
  it("names the archives by day from 2021-01-01", () => {
    expect(paths.map((p) => p.slice(-22))).toEqual([
      "geoTwitter21-01-01.zip",
      "geoTwitter21-01-02.zip",
      "geoTwitter21-01-03.zip",
    ]);
    expect(archiveName(30)).toBe("geoTwitter21-01-31");
    expect(archiveName(31)).toBe("geoTwitter21-02-01");
  });

  it("writes byte-identical archives for the same seed, and different ones for another seed", async () => {
    const again = await generateArchives({
      outDir: join(dir, "b"),
      files: FILES,
      tweetsPerFile: PER_FILE,
      seed: 7,
    });
    const other = await generateArchives({
      outDir: join(dir, "c"),
      files: 1,
      tweetsPerFile: PER_FILE,
      seed: 8,
    });
    for (const [i, path] of paths.entries()) {
      expect((await readFile(again[i] as string)).equals(await readFile(path))).toBe(true);
    }
    expect((await readFile(other[0] as string)).equals(await readFile(paths[0] as string))).toBe(
      false,
    );
  });

  it("writes one tweet per line, plus three lines repeated from the previous file", () => {
    expect(lines[0]).toHaveLength(PER_FILE);
    expect(lines[1]).toHaveLength(PER_FILE + 3);
    const first = new Set(lines[0]);
    expect(lines[1]?.filter((l) => first.has(l))).toHaveLength(3);
  });

  it("writes ids as exact integer literals above 2^53, equal to id_str", () => {
    const twoTo53 = 2n ** 53n;
    for (const [i, t] of tweets.entries()) {
      expect(t.id).toBe(t.id_str);
      expect(BigInt(t.id) > twoTo53).toBe(true);
      expect(
        BigInt(t.id) >= 1_344_000_000_000_000_000n && BigInt(t.id) < 1_350_000_000_000_000_000n,
      ).toBe(true);
      expect(lines.flat()[i]).toContain(`"id":${t.id},"id_str":"${t.id}"`);
      expect(asText(t.in_reply_to_status_id)).toBe(t.in_reply_to_status_id_str);
      expect(asText(t.in_reply_to_user_id)).toBe(t.in_reply_to_user_id_str);
      if (t.quoted_status_id !== undefined) expect(t.quoted_status_id).toBe(t.quoted_status_id_str);
    }
    // Users, mentions and media carry 64-bit ids too.
    const bigUser = tweets.some((t) => BigInt((t.user as { id: string }).id) > twoTo53);
    const entities = tweets.map(
      (t) => (t.extended_tweet?.entities ?? t.entities) as Record<string, unknown[]>,
    );
    const mentionIds = entities.flatMap(
      (e) => e.user_mentions as { id: string | number; id_str: string }[],
    );
    expect(bigUser).toBe(true);
    expect(mentionIds.length).toBeGreaterThan(0);
    for (const m of mentionIds) expect(String(m.id)).toBe(m.id_str);
    expect(mentionIds.some((m) => BigInt(m.id) > twoTo53)).toBe(true);
  });

  it("is realistic where loading cost and the mapping rules depend on it", () => {
    const bytes = lines.flat().reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) / tweets.length;
    expect(bytes).toBeGreaterThan(3000);
    expect(bytes).toBeLessThan(5000);
    expect(share((t) => t.extended_tweet !== undefined)).toBeGreaterThan(0.33);
    expect(share((t) => t.extended_tweet !== undefined)).toBeLessThan(0.47);
    const media = (t: Tweet) =>
      Boolean(
        (
          (t.extended_tweet?.extended_entities ?? t.extended_entities) as
            | { media?: unknown[] }
            | undefined
        )?.media,
      );
    expect(share(media)).toBeGreaterThan(0.1);
    expect(share(media)).toBeLessThan(0.2);
    expect(share((t) => t.coordinates !== null)).toBeGreaterThan(0.15);
    expect(share((t) => t.coordinates !== null)).toBeLessThan(0.25);
    expect(share((t) => t.in_reply_to_user_id !== null)).toBeGreaterThan(0.2);
    expect(share((t) => t.in_reply_to_user_id !== null)).toBeLessThan(0.3);
    expect(share((t) => t.quoted_status_id !== undefined)).toBeGreaterThan(0.06);
    expect(share((t) => t.quoted_status_id !== undefined)).toBeLessThan(0.14);
    expect(share((t) => typeof t.place === "object" && t.place !== null)).toBe(1);
    const countries = new Set(
      tweets.map((t) => (t.place as { country_code: string }).country_code),
    );
    expect(countries.size).toBeGreaterThan(20);
    const usNames = tweets
      .map((t) => t.place as { country_code: string; full_name: string })
      .filter((p) => p.country_code === "US")
      .map((p) => p.full_name);
    expect(usNames.some((n) => /, [A-Z]{2}$/.test(n))).toBe(true);
    expect(usNames.some((n) => !/, [A-Z]{2}$/.test(n))).toBe(true);
    const users = new Map<string, number>();
    for (const t of tweets) {
      const id = (t.user as { id: string | number }).id.toString();
      users.set(id, (users.get(id) ?? 0) + 1);
    }
    expect([...users.values()].some((n) => n >= 5)).toBe(true);
    const langs = new Set(tweets.map((t) => t.lang));
    expect(langs.size).toBeGreaterThan(8);
  });

  it("dates each tweet within its file's day, in Twitter's format", () => {
    for (const [f, fileLines] of lines.entries()) {
      const day = `Jan 0${f + 1} `;
      const own = fileLines
        .map((l) => parseLossless(l) as Tweet)
        .filter((t) => t.created_at.includes(day));
      // All but the lines repeated from the previous day.
      expect(own.length).toBe(PER_FILE);
      for (const t of own)
        expect(t.created_at).toMatch(/^\w{3} Jan 0\d \d\d:\d\d:\d\d \+0000 2021$/);
    }
  });

  it("plants NULs, a visible \\u0000, escaped emoji and #coronavirus in every file", () => {
    for (const fileLines of lines) {
      const nul = fileLines[3] as string;
      expect(nul).toMatch(/[^\\]\\u0000/);
      const visible = fileLines[4] as string;
      expect(visible).toContain("\\\\u0000");
      expect((parseLossless(visible) as Tweet).extended_tweet?.full_text).toContain("\\u0000");
      expect(fileLines[5]).toMatch(/\\ud83[c-f]\\ud[c-f][0-9a-f]{2}/);
      for (const line of [nul, visible, fileLines[5] as string])
        expect(line.toLowerCase()).toContain('"coronavirus"');
    }
    expect(tweets.some((t) => /"covid19"/i.test(JSON.stringify(t.entities)))).toBe(true);
  });

  it("writes only valid surrogate pairs in \\u escapes", () => {
    for (const line of lines.flat()) {
      // JSON.stringify writes a lone surrogate as a \\udXXX escape and a valid pair as the character.
      expect(JSON.stringify(JSON.parse(line))).not.toMatch(/\\ud[89a-f]/i);
    }
    expect(lines.flat().some((l) => /\\ud83d\\ud[c-f]/i.test(l))).toBe(true);
  });

  it("rejects a count that is not a positive whole number", async () => {
    await expect(generateArchives({ outDir: join(dir, "d"), files: 0 })).rejects.toThrow(
      /^--files must be a whole number of at least 1, not 0\.$/,
    );
  });
});

describe("toJsonText", () => {
  it("writes BigInt as an exact literal and escapes non-ASCII on request", () => {
    expect(toJsonText({ id: 1345000000000000001n, t: "é😷" })).toBe(
      '{"id":1345000000000000001,"t":"é😷"}',
    );
    expect(toJsonText({ t: "é😷", n: null }, true)).toBe('{"t":"\\u00e9\\ud83d\\ude37","n":null}');
    expect(toJsonText({ a: [fixed(-73.9, 8), fixed(0.000001, 8)], skip: undefined })).toBe(
      '{"a":[-73.9,0.000001]}',
    );
    expect(toJsonText({ t: "a\u0000b\\u0000" })).toBe('{"t":"a\\u0000b\\\\u0000"}');
  });
});

describe("Rng", () => {
  it("repeats its stream for a seed", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(Rng.derive(1, "x", 2).uint32()).toBe(Rng.derive(1, "x", 2).uint32());
    expect(new Rng(43).uint32()).not.toBe(seqA[0]);
  });
});
