import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";
import { runCli, targetFlags, tweetLines } from "./input-helpers.js";

let dir: string;
const dbs: FreshDatabase[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-progress-"));
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  await rm(dir, { recursive: true, force: true });
});

const PROGRESS =
  /^progress ([\d.]+) s: (\d+) of (\d+) files done, ([\d,]+) tweets, [\d,]+ tweets\/s \(last [\d.]+ s\), [\d,]+ tweets\/s overall$/gm;

/** The progress lines of `stderr`, as [seconds, files done, files, tweets]. */
const progressLines = (stderr: string) =>
  [...stderr.matchAll(PROGRESS)].map((m) =>
    [m[1], m[2], m[3], m[4]?.replaceAll(",", "")].map(Number),
  );

describe("load's progress line without a terminal", () => {
  it("says every --progress-every how many files are done and tweets loaded, moving forward, as far as the database holds", async () => {
    const files = [0, 1].map((f) => join(dir, `part-${f}.jsonl`));
    for (const [f, file] of files.entries()) {
      await writeFile(file, `${tweetLines(f * 2000, 2000).join("\n")}\n`);
    }
    // The per-tweet loader, one file at a time: slow enough for several lines.
    const db = await freshDatabase("normalized");
    dbs.push(db);
    const out = await runCli([
      "load",
      "--db",
      "normalized",
      "--jobs",
      "1",
      "--json",
      "--progress-every",
      "100ms",
      ...targetFlags({ normalized: db.url }),
      ...files,
    ]);
    expect(out.code, out.stderr).toBe(0);
    const lines = progressLines(out.stderr);
    expect(lines.length, out.stderr).toBeGreaterThanOrEqual(3);
    for (const [i, [seconds, done, total, tweets]] of lines.entries()) {
      expect(total).toBe(2);
      expect(tweets).toBeLessThanOrEqual(4000);
      const before = lines[i - 1];
      if (before) {
        expect(seconds).toBeGreaterThan(before[0] as number);
        expect(done).toBeGreaterThanOrEqual(before[1] as number);
        expect(tweets).toBeGreaterThanOrEqual(before[3] as number);
      }
    }
    // Tweets of a file in flight count before it is done.
    expect(lines.some(([, done, , tweets]) => (tweets as number) > 2000 * (done as number))).toBe(
      true,
    );
    // stdout stays the JSON summary alone, and it is what the database holds.
    const summary = JSON.parse(out.stdout) as { totals: { tweets: number } };
    const stored = await withClient(db.url, (c) =>
      c.query<{ n: string }>("SELECT count(*) AS n FROM tweets"),
    );
    expect(summary.totals.tweets).toBe(4000);
    expect(Number(stored.rows[0]?.n)).toBe(4000);
  });

  it("prints no progress line with --progress-every 0, and refuses a value that is not a duration", async () => {
    const file = join(dir, "small.jsonl");
    await writeFile(file, `${tweetLines(9000, 1500).join("\n")}\n`);
    const db = await freshDatabase("normalized");
    dbs.push(db);
    const flags = targetFlags({ normalized: db.url });
    const quiet = await runCli([
      "load",
      "--db",
      "normalized",
      "--jobs",
      "1",
      "--progress-every",
      "0",
      ...flags,
      file,
    ]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toContain("loaded ");
    expect(progressLines(quiet.stderr)).toEqual([]);
    const bad = await runCli([
      "load",
      "--db",
      "normalized",
      "--progress-every",
      "often",
      ...flags,
      file,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--progress-every must be a duration such as 60s/);
  });
});
