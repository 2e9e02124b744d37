import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLines } from "../../src/input/read-lines.js";
import { allCounts, startCli, urlFlags, waitFor } from "./fault-helpers.js";
import { targetsPool } from "./helpers/database.js";

// Standard input is a file like any other to the journal: known by its content after
// decompression (the same path whatever spool folder holds it), and its spool folder does
// not outlive a killed run.

let dir: string;
let plain: Buffer;
const pool = targetsPool();
const targets = pool.targets;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-stdin-identity-"));
  const [archive] = await generateArchives({
    outDir: join(dir, "gen"),
    files: 1,
    tweetsPerFile: 1800,
    seed: 72,
  });
  const lines: string[] = [];
  for await (const line of readLines(archive as string)) lines.push(line.text);
  plain = Buffer.from(`${lines.join("\n")}\n`);
});

afterAll(async () => {
  await pool.dropAll();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI with `input` piped to its standard input. */
function piped(args: string[], input: Buffer, env: NodeJS.ProcessEnv = {}) {
  const run = startCli(args, { stdin: "pipe", env });
  run.child.stdin?.end(input);
  return run.done;
}

type Json = { files: Array<{ db: string; status: string; tweets: number; note?: string }> };
const statuses = (stdout: string) => (JSON.parse(stdout) as Json).files.map((f) => f.status);

describe("standard input", () => {
  it("the same bytes piped plain, then gzipped, are one file: skipped the second time", async () => {
    const t = await targets();
    const args = ["load", "--db", "all", "--json", "-j", "1", ...urlFlags(t), "-"];
    const first = await piped(args, plain);
    expect(first.code).toBe(0);
    expect(statuses(first.stdout)).toEqual(["loaded", "loaded", "loaded"]);
    const once = await allCounts(t);
    const again = await piped(args, gzipSync(plain));
    expect(again.code).toBe(0);
    expect(statuses(again.stdout)).toEqual(["skipped", "skipped", "skipped"]);
    expect(await allCounts(t)).toEqual(once);
  });

  it("piped again with --replace, gzipped: the earlier load's rows are replaced, not doubled", async () => {
    const t = await targets();
    const args = ["load", "--db", "all", "--json", "-j", "1", ...urlFlags(t), "-"];
    expect((await piped(args, plain)).code).toBe(0);
    const once = await allCounts(t);
    const replaced = await piped([...args.slice(0, -1), "--replace", "-"], gzipSync(plain));
    expect(replaced.code).toBe(0);
    for (const f of (JSON.parse(replaced.stdout) as Json).files) {
      expect(f.status).toBe("loaded");
      expect(f.note).toMatch(/replaced the earlier load of this file \(1800 tweet rows removed\)/);
    }
    expect(await allCounts(t)).toEqual(once);
  });

  it("the spool folder of a load killed (SIGKILL) is removed by the next run; a running load's is kept", async () => {
    const t = await targets();
    const tmp = join(dir, "tmp");
    await mkdir(tmp, { recursive: true });
    const env = { TMPDIR: tmp };
    const spools = async () =>
      (await readdir(tmp)).filter((name) => name.startsWith("tweetload-stdin-")).sort();
    const args = ["load", "--db", "denormalized", "--json", ...urlFlags(t), "-"];
    // Standard input that does not end: the load spools it until it is killed, or ended.
    const start = () => {
      const run = startCli(args, { stdin: "pipe", env });
      run.child.stdin?.write(plain.subarray(0, 1000));
      return run;
    };
    const killed = start();
    await waitFor("its spool folder", async () => (await spools()).length === 1);
    const [stale] = await spools();
    killed.child.kill("SIGKILL");
    await killed.done;
    expect(await spools()).toEqual([stale]);
    // The next run removes it, and makes its own.
    const running = start();
    await waitFor("the stale folder to go", async () => {
      const now = await spools();
      return now.length === 1 && now[0] !== stale;
    });
    const [live] = await spools();
    // A run meanwhile keeps the folder of the load that still runs.
    const file = join(dir, "some.jsonl");
    await writeFile(file, plain);
    const next = await startCli([...args.slice(0, -1), file], { env }).done;
    expect(next.code).toBe(0);
    expect(await spools()).toEqual([live]);
    running.child.stdin?.end(plain.subarray(1000));
    expect((await running.done).code).toBe(0);
    expect(await spools()).toEqual([]);
  });
});
