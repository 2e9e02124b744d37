import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveExpected } from "../../src/check/derive-expected.js";
import { factsOfLine } from "../../src/check/line-facts.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import type { ArchiveFormat } from "../../src/generate/v2-lines.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-derive-v2-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the checker's derivation reads v2", () => {
  // Generates and derives 4,200 tweets: seconds on a loaded host, past the default 5 s.
  it("derives from v2 pages and flattened v2 the answers of their v1.1 twins", {
    timeout: 60_000,
  }, async () => {
    const answers: Record<string, unknown> = {};
    for (const format of ["v1", "v2-pages", "v2-flat"] as ArchiveFormat[]) {
      const out = join(dir, format);
      await generateArchives({ outDir: out, files: 2, tweetsPerFile: 700, seed: 5, format });
      answers[format] = await deriveExpected([out]);
    }
    const v1 = answers.v1 as Record<string, string[]>;
    // A derivation that read no v2 tweet would give 0 for every count: make sure it did.
    expect(Number(v1["01_tweets"]?.[0])).toBeGreaterThan(1000);
    expect(v1["05_coronavirus_cotags"]?.length).toBeGreaterThan(0);
    expect(answers["v2-pages"]).toEqual(v1);
    expect(answers["v2-flat"]).toEqual(v1);
  });

  it("resolves a page's references through its includes; a missing one reads as NULL", () => {
    const page = JSON.stringify({
      data: [
        {
          id: "1345500000000000001",
          author_id: "42",
          created_at: "2021-01-02T23:59:59.000Z",
          text: "nul\u0000 #CoronaVirus $GME",
          lang: "en",
          entities: {
            hashtags: [{ tag: "CoronaVirus" }],
            cashtags: [{ tag: "GME" }],
            mentions: [{ username: "bob" }, { username: "ghost" }, { id: "7", username: "x" }],
          },
          attachments: { media_keys: ["3_1", "3_missing"] },
          geo: { place_id: "p1" },
        },
        {
          id: "1345500000000000002",
          author_id: "99",
          text: "no author included",
          geo: { place_id: "nope" },
        },
        { id: "1345500000000000003", text: "no author_id: the loaders reject it" },
      ],
      includes: {
        users: [
          { id: "42", username: "ann", public_metrics: { tweet_count: 12 } },
          { id: "43", username: "bob" },
        ],
        places: [{ id: "p1", country_code: "US", full_name: "Austin, TX" }],
        media: [{ media_key: "3_1", type: "video", preview_image_url: "https://p/v.jpg" }],
      },
    });
    const [first, second, ...rest] = factsOfLine(page);
    expect(rest).toEqual([]);
    expect(first).toEqual({
      id: "1345500000000000001",
      lang: "en",
      countryCode: "us",
      day: "2021-01-02",
      createdMs: Date.UTC(2021, 0, 2, 23, 59, 59),
      author: { id: "42", screenName: "ann", statusesCount: 12 },
      text: "nul #CoronaVirus $GME",
      tags: ["#CoronaVirus", "$GME"],
      mentionedUserIds: ["43", "7"],
      mediaUrls: ["https://p/v.jpg"],
    });
    expect(second).toMatchObject({
      id: "1345500000000000002",
      countryCode: null,
      author: { id: "99", screenName: null, statusesCount: null },
      mediaUrls: [],
    });
  });

  it("reads a flattened tweet's inlined author, place and media, and note_tweet first", () => {
    const flat = JSON.stringify({
      id: "5",
      author: { id: "42", username: "ann" },
      created_at: "2021-01-03T00:00:01.000Z",
      text: "short",
      entities: { hashtags: [{ tag: "ignored" }] },
      note_tweet: { text: "long #kept", entities: { hashtags: [{ tag: "kept" }] } },
      geo: { place_id: "p1", country_code: "GB" },
      attachments: { media_keys: ["k"], media: [{ media_key: "k", url: "https://p/a.jpg" }] },
    });
    expect(factsOfLine(flat)).toEqual([
      expect.objectContaining({
        id: "5",
        author: { id: "42", screenName: "ann", statusesCount: null },
        text: "long #kept",
        tags: ["#kept"],
        countryCode: "gb",
        mediaUrls: ["https://p/a.jpg"],
      }),
    ]);
  });

  it("skips notices, bad JSON and blank lines as before", () => {
    expect(factsOfLine('{"delete":{"status":{"id":1}}}')).toEqual([]);
    expect(factsOfLine("{not json")).toEqual([]);
    expect(factsOfLine("   ")).toEqual([]);
  });
});
