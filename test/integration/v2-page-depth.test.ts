import { mkdtemp, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { loadersFor } from "../../src/load/registry.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import { runLoad } from "../../src/run/run-load.js";
import { freshLoadRuns } from "./helpers/loaders.js";

// The denormalized raw path counted brackets per line and sent any line with more than
// 1,000 to the validated pass: every v2 page of 100 tweets has thousands, so every page
// file was read twice. Page lines are now judged by their parsed depth; this pins that
// every loader still rejects exactly the lines nested too deep, pages or not.

const tweet = (i: number) =>
  `{"id":"${1346000000000000000n + BigInt(i)}","author_id":"7","created_at":"2021-01-01T10:00:00.000Z","text":"wide #Depth","entities":{"hashtags":[{"tag":"Depth"}],"mentions":[{"id":"8","username":"b"}]}}`;
const WIDE_PAGE = `{"data":[${Array.from({ length: 150 }, (_, i) => tweet(i)).join(",")}],"includes":{"users":[{"id":"7","username":"u"}]}}`;
const nest = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const DEEP_PAGE = `{"data":[{"id":"1346000000000009001","author_id":"7","x":${nest(1000)}}]}`;
// Not a page, but it holds the bytes `"data":`: the raw path must still count its brackets.
const DEEP_V1_WITH_DATA = `{"id":1346000000000009002,"id_str":"1346000000000009002","user":{"id":7,"id_str":"7"},"data":${nest(1000)}}`;
const V1 = `{"id":1346000000000009003,"id_str":"1346000000000009003","created_at":"Fri Jan 01 10:00:00 +0000 2021","text":"v1","user":{"id":7,"id_str":"7","screen_name":"u"}}`;
// Two files: a line that needs the validated pass sends its whole file there, which would
// hide whether the other one is caught on its own.
const FILES: Record<string, { lines: string[]; tweets: number; rejects: [number, string][] }> = {
  "wide.jsonl": {
    lines: [WIDE_PAGE, V1, DEEP_V1_WITH_DATA],
    tweets: 151,
    rejects: [[3, "nested 1001 levels deep"]],
  },
  "deep-page.jsonl": {
    lines: [V1, DEEP_PAGE],
    tweets: 1,
    rejects: [[2, "nested 1003 levels deep"]],
  },
};

let dir: string;
const drops: (() => Promise<void>)[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-v2-depth-"));
  for (const [name, { lines }] of Object.entries(FILES)) {
    await writeFile(join(dir, name), `${lines.join("\n")}\n`);
  }
});
afterAll(async () => {
  await Promise.all(drops.map((drop) => drop()));
  await rm(dir, { recursive: true, force: true });
});

describe("v2 pages and nesting depth", () => {
  it("every loader loads a wide page and rejects the lines nested too deep, pages or not", async () => {
    const { runs, drop } = await freshLoadRuns();
    drops.push(drop);
    for (const { targets, batched: batch, dbs } of runs) {
      const rejectsDir = join(dir, `rejects-${batch}`);
      const result = await runLoad({
        files: Object.keys(FILES).map((name) => join(dir, name)),
        dbs,
        targets,
        jobs: 1,
        batchSize: 1000,
        loaders: loadersFor(batch),
        rejectsDir,
      });
      for (const f of result.files) {
        const want = FILES[f.file.replace(/.*\//, "")];
        expect(f, `${f.db} ${f.file}`).toMatchObject({
          status: "loaded",
          tweets: want?.tweets,
          rejects: 1,
        });
      }
      for (const db of dbs) {
        const table = db === "denormalized" ? "tweets_jsonb" : "tweets";
        const { rows } = await withClient(targets[db], (c) =>
          c.query(`SELECT count(*)::int AS n FROM ${table}`),
        );
        // V1 is in both files: only pg_normalized keeps one row per tweet id.
        expect(rows[0]?.n, db).toBe(db === "normalized" ? 151 : 152);
        for (const [name, want] of Object.entries(FILES)) {
          const path = rejectsPath(rejectsDir, await realpath(join(dir, name)), db);
          const rejects = (await readFile(path, "utf8"))
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as { lineNo: number; error: string });
          expect(
            rejects.map((r) => [r.lineNo, r.error.replace(/,.*/, "")]),
            `${db} ${name}`,
          ).toEqual(want.rejects);
        }
      }
    }
  });
});
