import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileReport } from "../../src/run/types.js";
import {
  checkEachOther,
  FOUR_LOADERS,
  fourDatabases,
  type LoaderName,
  loadEach,
  rejectRecords,
} from "./four-loaders.js";
import { page, v1, v2 } from "./line-rules-fixture.js";

// A line built to cost as much as possible (a tag list whose pairs the co-occurrence views
// count, thousands of users or urls, a page that copies one big user into every row) took
// a load and its view refresh hours: the tag views pair every tag of a tweet with every
// other. docs/line-rules.md bounds what a tweet can hold; each shape here is rejected with
// its count in every loader, and the rest of the file loads.

const words = (n: number, word: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => word(i)).join(" ");
const longText = (n: number) => words(n, (i) => `#h${i}`);

const bigUser = { id: "1000", username: "big", description: "d".repeat(20_000) };
const HOSTILE: { name: string; line: string; reason: string }[] = [
  {
    name: "60,000 hashtags",
    line: v1(800, {
      text: longText(60_000),
      entities: { hashtags: Array.from({ length: 60_000 }, (_, i) => ({ text: `h${i}` })) },
    }),
    reason: "entities.hashtags holds 60000 items, more than the 500 a tweet may hold",
  },
  {
    name: "10,000 mentions",
    line: v1(801, {
      text: words(10_000, (i) => `@u${i}`),
      entities: {
        user_mentions: Array.from({ length: 10_000 }, (_, i) => ({
          id: i + 1,
          screen_name: `u${i}`,
        })),
      },
    }),
    reason: "entities.user_mentions holds 10000 items, more than the 500 a tweet may hold",
  },
  {
    name: "10,000 urls",
    line: v1(802, {
      text: words(10_000, (i) => `https://t.co/${i}`),
      entities: {
        urls: Array.from({ length: 10_000 }, (_, i) => ({
          expanded_url: `https://x.example/${i}`,
        })),
      },
    }),
    reason: "entities.urls holds 10000 items, more than the 500 a tweet may hold",
  },
  {
    name: "10,000 media",
    line: v1(803, {
      extended_entities: {
        media: Array.from({ length: 10_000 }, (_, i) => ({
          media_url: `http://m.example/${i}.jpg`,
          type: "photo",
        })),
      },
    }),
    reason: "extended_entities.media holds 10000 items, more than the 500 a tweet may hold",
  },
  {
    name: "a 1,000-element withheld_in_countries",
    line: v1(804, { withheld_in_countries: Array.from({ length: 1000 }, () => "DE") }),
    reason: "withheld_in_countries holds 1000 items, more than the 500 a tweet may hold",
  },
  {
    name: "200 hashtags in a 280-character text",
    line: v1(805, {
      text: "x".repeat(280),
      entities: { hashtags: Array.from({ length: 200 }, (_, i) => ({ text: `h${i}` })) },
    }),
    reason:
      "entities holds 202 tags, mentions and urls, more than a text of 280 characters has room for (140, two characters each at least)",
  },
  {
    name: "300 tags, each pair of which the co-occurrence views count",
    line: v1(808, {
      text: longText(300),
      entities: { hashtags: Array.from({ length: 300 }, (_, i) => ({ text: `h${i}` })) },
    }),
    reason: "entities holds 300 tags (hashtags and symbols), more than the 250 a tweet may hold",
  },
  {
    name: "a place box of 10,000 positions",
    line: v1(806, {
      place: {
        bounding_box: { coordinates: [Array.from({ length: 10_000 }, (_, i) => [i / 100, 1])] },
      },
    }),
    reason: "place.bounding_box.coordinates holds more than the 500 positions a place may hold",
  },
  {
    name: "10,000 referenced tweets",
    line: v2(807, {
      referenced_tweets: Array.from({ length: 10_000 }, (_, i) => ({
        type: "quoted",
        id: `${i + 1}`,
      })),
    }),
    reason: "referenced_tweets holds 10000 items, more than the 500 a tweet may hold",
  },
  {
    name: "a v2 page of 2,000 tweets",
    line: page(Array.from({ length: 2000 }, (_, i) => v2(10_000 + i))),
    reason: "data holds 2000 tweets, more than the 1000 a v2 page may hold",
  },
  {
    name: "a v2 page that names one 20 KB user from each of its 1,000 tweets",
    line: JSON.stringify({
      data: Array.from({ length: 1000 }, (_, i) => ({
        id: `${20_000 + i}`,
        author_id: "1000",
        text: "t",
      })),
      includes: { users: [bigUser] },
    }),
    reason:
      "the page's tweets with the users, places and media they reference inlined would take more than 16 Mi characters of JSON, the most a v2 page may expand to",
  },
];

const GOOD = Array.from({ length: 30 }, (_, n) => v1(n));
const LINES = [...GOOD.slice(0, 15), ...HOSTILE.map((h) => h.line), ...GOOD.slice(15)];

let dir: string;
let urls: Record<LoaderName, string>;
let drop: () => Promise<void>;
const reports = {} as Record<LoaderName, FileReport>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-hostile-"));
  const file = join(dir, "hostile.jsonl");
  await writeFile(file, `${LINES.join("\n")}\n`);
  ({ urls, drop } = await fourDatabases());
  Object.assign(reports, await loadEach(urls, file, dir));
}, 120_000);
afterAll(async () => {
  await drop?.();
  await rm(dir, { recursive: true, force: true });
});

describe("no single line can stall a load (docs/line-rules.md, what a tweet can hold)", () => {
  it.each(HOSTILE)("rejects $name with its count in every loader; the rest loads", async (h) => {
    for (const c of FOUR_LOADERS) {
      const report = reports[c.name];
      expect([c.name, report.status, report.tweets]).toEqual([c.name, "loaded", GOOD.length]);
      const records = await rejectRecords(report);
      const record = records.find((r) => r.lineNo === LINES.indexOf(h.line) + 1);
      expect(record?.error, c.name).toBe(h.reason);
    }
  });

  it("leaves the three databases answering the checker alike", async () => {
    for (const normalized of ["normalized-per-tweet", "normalized-staged-batch"] as const) {
      expect((await checkEachOther(urls, normalized)).ok).toBe(true);
    }
  });
});
