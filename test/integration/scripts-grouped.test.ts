import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { projectPath } from "../../src/paths.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";
import { tweetLines } from "./input-helpers.js";

const run = promisify(execFile);
let dir: string;
const dbs: FreshDatabase[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-sh-grouped-"));
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const count = (url: string, table: string) =>
  withClient(url, (c) => c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).then((r) =>
    Number(r.rows[0]?.n),
  );

describe("scripts/load_tweets_parallel.sh with more files than jobs", () => {
  it("loads every file through fewer processes than files and prints one summary that equals the rows", async () => {
    const data = join(dir, "data");
    await mkdir(data);
    // Seven files of 10 tweets each; the fourth also holds one line that is not a tweet.
    for (let f = 0; f < 7; f++) {
      const lines = tweetLines(f * 10, 10);
      if (f === 3) lines.splice(5, 0, "this is not JSON");
      await writeFile(join(data, `day-${f}.jsonl`), `${lines.join("\n")}\n`);
    }
    const denormalized = await freshDatabase("denormalized");
    dbs.push(denormalized);
    const batch = await freshDatabase("normalized_batch");
    dbs.push(batch);
    const { stdout } = await run(
      "sh",
      [projectPath("scripts", "load_tweets_parallel.sh"), "denormalized", "normalized_batch"],
      {
        cwd: dir,
        env: {
          ...process.env,
          TWEETLOAD_DENORMALIZED_URL: denormalized.url,
          TWEETLOAD_NORMALIZED_BATCH_URL: batch.url,
          TWEETLOAD_DATA_DIR: data,
          TWEETLOAD_PARALLEL_JOBS: "3",
        },
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expect(stdout).toContain("load normalized_batch: 7 files, 3 at a time (3 per job)");
    // One table, not one per job: one top border and one totals row.
    expect(stdout.match(/┌/g)).toHaveLength(1);
    // Columns: status, tweets, notices, rejects.
    const totals = stdout.match(/total \((\d+) files\)[ │]+ok[ │]+([\d,]+)[ │]+(\d+)[ │]+(\d+)/);
    expect(totals?.slice(1)).toEqual(["14", "140", "0", "2"]);
    for (let f = 0; f < 7; f++) {
      expect(stdout.match(new RegExp(`day-${f}\\.jsonl .* loaded `, "g"))).toHaveLength(2);
    }
    expect(await count(denormalized.url, "tweets_jsonb")).toBe(70);
    expect(await count(batch.url, "tweets")).toBe(70);
  });
});
