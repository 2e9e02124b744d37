import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectPath } from "../../src/paths.js";
import { freshDatabase } from "./helpers/database.js";
import { storedIds, tweetId, tweetLines } from "./input-helpers.js";

const run = promisify(execFile);
let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-sh-names-"));
});
afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

describe("scripts/load_tweets_sequential.sh with hostile file names", () => {
  it("loads each archive once: a * in a name is not globbed, spaces and quotes survive, links are followed", async () => {
    const data = join(dir, "data set");
    await mkdir(data);
    const files: Array<[string, number]> = [
      ["b*.jsonl", 0],
      ["bx.jsonl", 10],
      ['a day\'s "best".ndjson', 20],
    ];
    for (const [name, from] of files) {
      await writeFile(join(data, name), `${tweetLines(from, 10).join("\n")}\n`);
    }
    await writeFile(join(dir, "linked.jsonl"), `${tweetLines(30, 10).join("\n")}\n`);
    await symlink(join(dir, "linked.jsonl"), join(data, "c-link.jsonl"));
    await writeFile(join(data, "readme.txt"), "not tweets\n");
    const db = await freshDatabase("denormalized");
    cleanups.push(db.drop);
    const { stdout, stderr } = await run(
      "sh",
      [projectPath("scripts", "load_tweets_sequential.sh"), "denormalized"],
      {
        env: { ...process.env, TWEETLOAD_DENORMALIZED_URL: db.url, TWEETLOAD_DATA_DIR: data },
      },
    );
    expect(stdout).toContain("load denormalized: 4 files");
    expect(stderr).toContain(`passed over ${join(data, "readme.txt")}: not a name tweetload reads`);
    const expected = Array.from({ length: 40 }, (_, i) => tweetId(i)).sort();
    expect(await storedIds(db.url)).toEqual(expected);
    const rows = await import("../../src/db/client.js").then(({ withClient }) =>
      withClient(db.url, (c) => c.query<{ n: string }>("SELECT count(*) AS n FROM tweets_jsonb")),
    );
    expect(rows.rows[0]?.n).toBe("40");
  });
});
