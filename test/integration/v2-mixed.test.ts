import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { loadersFor } from "../../src/load/registry.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import { runLoad } from "../../src/run/run-load.js";
import { freshLoadRuns } from "./helpers/loaders.js";

// One file mixing v1.1 lines, v2 pages (with bad tweets and missing references) and
// flattened v2 tweets: every loader loads the same tweets, rejects the same ones with
// their line and index in the page, and reports exactly what the database holds.

const BIG = "1345000000000000001"; // above 2^53: a number would be rounded
const v1 = `{"id":1345000000000000011,"id_str":"1345000000000000011","created_at":"Fri Jan 01 10:00:00 +0000 2021","text":"v1 #Mixed","user":{"id":9007199254740993,"id_str":"9007199254740993","screen_name":"one"},"entities":{"hashtags":[{"text":"Mixed"}],"symbols":[],"user_mentions":[],"urls":[]},"lang":"en"}`;
const page = JSON.stringify({
  data: [
    {
      id: "1345000000000000021",
      author_id: "42",
      text: "page #Mixed nul\u0000 C:\\u0000",
      created_at: "2021-01-01T11:00:00.000Z",
      geo: { place_id: "p1" },
      entities: { hashtags: [{ tag: "Mixed" }] },
      lang: "en",
    },
    { text: "no id, no author" },
    5,
    // Its author, place and media are not in includes: NULLs, not an error.
    {
      id: "1345000000000000022",
      author_id: "43",
      text: "orphan",
      created_at: "2021-01-01T12:00:00.000Z",
      geo: { place_id: "missing" },
      attachments: { media_keys: ["3_x"] },
      lang: "en",
    },
  ],
  includes: {
    users: [{ id: "42", username: "fortytwo", name: "F", created_at: "2010-01-01T00:00:00.000Z" }],
    places: [
      {
        id: "p1",
        full_name: "Austin, TX",
        country_code: "US",
        geo: { bbox: [-97.9, 30.1, -97.5, 30.5] },
      },
    ],
  },
});
// A page whose key is spaced (`"data" :`): the denormalized loader's cheap test misses it,
// COPY refuses the page, and the checked pass finds it.
const spacedPage = `{"data" : [{"id":${BIG},"author_id":"44","text":"spaced","created_at":"2021-01-01T13:00:00.000Z"}]}`;
const flat = JSON.stringify({
  id: "1345000000000000031",
  author_id: "45",
  author: { id: "45", username: "flat" },
  text: "flat #Mixed",
  created_at: "2021-01-01T14:00:00.000Z",
  lang: "en",
});
const LINES = [v1, page, "not json", flat, spacedPage];

let dir: string;
let file: string;
const drops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-v2-mixed-"));
  file = join(dir, "mixed.jsonl");
  await writeFile(file, `${LINES.join("\n")}\n`);
});
afterAll(async () => {
  await Promise.all(drops.map((drop) => drop()));
  await rm(dir, { recursive: true, force: true });
});

describe.each([1, 2])("a file mixing v1.1 and v2 lines, --jobs %i", (jobs) => {
  it("loads 5 tweets and rejects 3 (two of a page, by index) in every loader", async () => {
    const { runs, drop } = await freshLoadRuns();
    drops.push(drop);
    const rejectsDir = join(dir, `rejects-${jobs}`);
    await mkdir(rejectsDir);
    for (const { targets, batched: batch, dbs } of runs) {
      const result = await runLoad({
        files: [file],
        dbs,
        targets,
        jobs,
        batchSize: 2,
        loaders: loadersFor(batch),
        rejectsDir: join(rejectsDir, String(batch)),
      });
      for (const f of result.files)
        expect(f, f.db).toMatchObject({ status: "loaded", tweets: 5, rejects: 3 });
      for (const db of dbs) {
        const url = targets[db];
        const table = db === "denormalized" ? "tweets_jsonb" : "tweets";
        const { rows } = await withClient(url, (c) =>
          c.query(`SELECT (SELECT count(*)::int FROM ${table}) AS n,
            (SELECT tweets::int FROM tweetload.journal) AS journal,
            (SELECT array_agg(id_tweets::text ORDER BY id_tweets) FROM tweets) AS ids,
            (SELECT text FROM tweets WHERE id_tweets = 1345000000000000021) AS text,
            (SELECT row(country_code, place_name, geo IS NULL)::text FROM tweets WHERE id_tweets = 1345000000000000022) AS orphan,
            (SELECT count(*)::int FROM tweet_media) AS media`),
        );
        expect(rows[0], db).toEqual({
          n: 5,
          journal: 5,
          ids: [
            "1345000000000000001",
            "1345000000000000011",
            "1345000000000000021",
            "1345000000000000022",
            "1345000000000000031",
          ],
          text: "page #Mixed nul C:\\u0000",
          orphan: "(,,t)",
          media: 0,
        });
        const rejects = (
          await readFile(
            rejectsPath(join(rejectsDir, String(batch)), await realpath(file), db),
            "utf8",
          )
        )
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l));
        expect(
          rejects.map((r) => [r.lineNo, r.index, r.text, r.error.replace(/:.*/, "")]),
          db,
        ).toEqual([
          [2, 1, '{"text":"no id, no author"}', "data[1] of the v2 page"],
          [2, 2, "5", "data[2] of the v2 page"],
          [3, undefined, "not json", "not valid JSON"],
        ]);
      }
    }
  });
});
