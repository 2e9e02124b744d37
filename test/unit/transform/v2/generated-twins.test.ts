import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateArchives } from "../../../../src/generate/generate-archives.js";
import type { ArchiveFormat } from "../../../../src/generate/v2-lines.js";
import { readLineBatches } from "../../../../src/input/read-lines.js";
import { newTally, rowsOfLines } from "../../../../src/load/rows-of-lines.js";
import type { TweetRows } from "../../../../src/transform/rows.js";

// The same generated tweets in the three formats must give the same rows, except where v2
// itself differs (docs/contract/api-v2.md): source is the app name, media URLs are
// https, a mentioned user has no name. Page authors carry the page's snapshot (checked apart).

let dir: string;
const rows = new Map<ArchiveFormat, TweetRows[]>();

async function load(format: ArchiveFormat, byteStrings: boolean): Promise<TweetRows[]> {
  const files = await generateArchives({
    outDir: join(dir, format),
    files: 2,
    tweetsPerFile: 250,
    seed: 7,
    format,
  });
  const out: TweetRows[] = [];
  for (const file of files) {
    for await (const batch of readLineBatches(file, { byteStrings })) {
      out.push(...rowsOfLines(batch, {}, newTally()));
    }
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-v2-twins-"));
  for (const format of ["v1", "v2-pages", "v2-flat"] as const)
    rows.set(format, (await load(format, true)).map(instants));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Times as instants: v1.1 rows spell them `+00:00`, v2 rows `.000Z`; PostgreSQL reads both alike. */
const instant = (t: string | null) => (t === null ? null : new Date(t).toISOString());
function instants(r: TweetRows): TweetRows {
  return {
    ...r,
    tweet: { ...r.tweet, createdAt: instant(r.tweet.createdAt) },
    users: r.users.map((u) => ({
      ...u,
      createdAt: instant(u.createdAt),
      updatedAt: instant(u.updatedAt),
    })),
  };
}

const appName = (source: string | null) => source?.replace(/<[^>]*>/g, "") ?? null;
const https = (url: string) => url.replace(/^http:/, "https:");

/** v1.1 rows as v2 gives them: the differences v2 imposes, applied. */
function asV2(r: TweetRows): TweetRows {
  return {
    ...r,
    tweet: { ...r.tweet, source: appName(r.tweet.source) },
    users: r.users.map((u, i) => (i === 0 ? u : { ...u, name: null })),
    media: r.media.map((m) => ({ ...m, url: https(m.url) })),
  };
}

/** Without the author's snapshot fields, which a page holds once per user. */
const withoutSnapshot = (r: TweetRows): TweetRows => ({
  ...r,
  users: r.users.map((u, i) =>
    i === 0
      ? { ...u, friendsCount: null, listedCount: null, favouritesCount: null, statusesCount: null }
      : u,
  ),
});

describe("generated tweets in v1.1 and v2 shapes", () => {
  it("give the same number of tweets, in the same order", () => {
    const ids = (f: ArchiveFormat) => rows.get(f)?.map((r) => r.tweet.id);
    expect(ids("v1")?.length).toBe(503); // 2 × 250 + 3 repeated
    expect(ids("v2-flat")).toEqual(ids("v1"));
    expect(ids("v2-pages")).toEqual(ids("v1"));
  });

  it("flattened v2 gives v1.1's rows, author snapshot included", () => {
    expect(rows.get("v2-flat")).toEqual(rows.get("v1")?.map(asV2));
  });

  it("v2 pages give v1.1's rows; an author's counts are the page's latest snapshot", () => {
    const v1 = rows.get("v1")?.map(asV2) ?? [];
    const pages = rows.get("v2-pages") ?? [];
    expect(pages.map(withoutSnapshot)).toEqual(v1.map(withoutSnapshot));
    // Per page and author, the counts are those of the author's latest tweet in the page.
    const pageOf = (i: number) =>
      i < 250 ? `a${Math.floor(i / 100)}` : `b${Math.floor((i - 250) / 100)}`;
    const latest = new Map<string, TweetRows>();
    v1.forEach((r, i) => {
      const key = `${pageOf(i)} ${r.tweet.userId}`;
      const had = latest.get(key);
      const later = (a: TweetRows, b: TweetRows) =>
        (a.tweet.createdAt ?? "") > (b.tweet.createdAt ?? "") ||
        (a.tweet.createdAt === b.tweet.createdAt && BigInt(a.tweet.id) > BigInt(b.tweet.id));
      if (!had || later(r, had)) latest.set(key, r);
    });
    const counts = (r: TweetRows | undefined) => {
      const u = r?.users[0];
      return [u?.friendsCount, u?.listedCount, u?.favouritesCount, u?.statusesCount];
    };
    let differ = 0;
    pages.forEach((r, i) => {
      const own = v1[i];
      if (JSON.stringify(counts(r)) !== JSON.stringify(counts(own))) differ++;
      expect(counts(r)).toEqual(counts(latest.get(`${pageOf(i)} ${r.tweet.userId}`)));
    });
    expect(differ).toBeGreaterThan(0); // the rule is exercised
  });

  it("exercise what differs between the shapes (the comparison can fail)", () => {
    const v1 = rows.get("v1") ?? [];
    expect(v1.some((r) => r.media.length > 0 && r.media[0]?.url.startsWith("http:"))).toBe(true);
    expect(
      v1.some(
        (r) => r.users.length > 1 && r.users.some((u) => u.name !== null && u !== r.users[0]),
      ),
    ).toBe(true);
    expect(v1.some((r) => (r.tweet.text?.length ?? 0) > 280)).toBe(true);
  });
});
