import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { DB_KINDS } from "../../src/db/kinds.js";
import { loadersFor } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import { freshDatabase, targetsDroppedBy } from "./helpers/database.js";
import { freshLoadRuns } from "./helpers/loaders.js";
import { runCli, storedIds, targetFlags, tweetId, tweetLines } from "./input-helpers.js";

let dir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-input-it-"));
});
afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

const targets = () => targetsDroppedBy(cleanups);

/** A fresh pg_normalized for `load --db normalized --batch`. */
async function batchedTarget(): Promise<string> {
  const db = await freshDatabase("normalized");
  cleanups.push(db.drop);
  return db.url;
}

const ids = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => tweetId(from + i)).sort();

async function zipOf(members: Array<[string, string | Readable]>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of members) {
    if (name.endsWith("/")) zip.addEmptyDirectory(name);
    else if (typeof content === "string") zip.addBuffer(Buffer.from(content), name);
    else zip.addReadStream(content, name);
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A JSON array of `lines`, pretty-printed over several lines as json.dump(indent=2) would. */
const prettyArray = (lines: string[]) =>
  `[\n${lines.map((l) => `  ${l.replace(/,"/g, ',\n    "')}`).join(",\n")}\n]\n`;

describe("`load -` silently loaded 0 files and /dev/stdin said empty", () => {
  it("load - reads JSON lines (gzip by its magic bytes) into every database with exact ids, and the same bytes again are skipped", async () => {
    const t = await targets();
    const stdin = gzipSync(`${tweetLines(0, 30).join("\n")}\n`);
    const args = ["load", "--db", "all", "--json", "-j", "1", ...targetFlags(t), "-"];
    const first = await runCli(args, { stdin });
    expect(first.stderr).not.toMatch(/Error|failed/);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.files.map((f: { tweets: number }) => f.tweets)).toEqual([30, 30, 30]);
    for (const db of DB_KINDS) expect(await storedIds(t[db])).toEqual(ids(0, 30));
    const again = JSON.parse((await runCli(args, { stdin })).stdout);
    expect(again.files.map((f: { status: string }) => f.status)).toEqual([
      "skipped",
      "skipped",
      "skipped",
    ]);
  });

  it("/dev/stdin, a stream whose size is 0 by stat, loads too (normalized --batch)", async () => {
    const url = await batchedTarget();
    const stdin = Buffer.from(`${tweetLines(100, 12).join("\n")}\n`);
    const run = await runCli(
      [
        "load",
        "--db",
        "normalized",
        "--batch",
        "--json",
        "-j",
        "1",
        `--normalized-url=${url}`,
        "/dev/stdin",
      ],
      { stdin },
    );
    expect(run.stderr).not.toMatch(/cannot|failed/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).files[0]).toMatchObject({ status: "loaded", tweets: 12 });
    expect(await storedIds(url)).toEqual(ids(100, 12));
  });

  it("empty standard input is one sentence and exit code 2", async () => {
    const t = await targets();
    const run = await runCli(["load", "--db", "denormalized", ...targetFlags(t), "-"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/standard input is empty \(0 bytes\): nothing to load/);
  });
});

describe("one bad byte lost the file; a .json array was read as lines", () => {
  it("loads a .json array exactly and rejects a line that is not UTF-8 and a line over --max-line-bytes, each alone", async () => {
    const array = join(dir, "array.json");
    await writeFile(array, prettyArray([...tweetLines(200, 25), '{"id":1}']));
    const lines = tweetLines(300, 20).map((l) => Buffer.from(l));
    lines[4] = Buffer.concat([
      Buffer.from('{"id":5,"text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const long = tweetLines(399, 1)[0]?.replace(
      '"text":"',
      `"text":"${"x".repeat(6000)}`,
    ) as string;
    lines[9] = Buffer.from(long);
    const mixed = join(dir, "mixed.jsonl");
    await writeFile(mixed, Buffer.concat(lines.flatMap((l) => [l, Buffer.from("\n")])));
    const { runs, drop } = await freshLoadRuns();
    cleanups.push(drop);
    const expected = [
      ...ids(200, 25),
      ...ids(300, 20).filter((id) => id !== tweetId(304) && id !== tweetId(309)),
    ].sort();
    for (const { dbs, targets: tg, batched: batch } of runs) {
      const rejectsDir = join(dir, `rejects-${batch}`);
      const result = await runLoad({
        files: [array, mixed],
        dbs,
        targets: tg,
        jobs: 2,
        batchSize: 7,
        loaders: loadersFor(batch),
        rejectsDir,
        maxLineBytes: 5000,
      });
      for (const f of result.files) {
        expect([f.db, f.status, f.error]).toEqual([f.db, "loaded", undefined]);
        expect([f.tweets, f.rejects]).toEqual(f.file === array ? [25, 1] : [18, 2]);
      }
      for (const db of dbs) {
        expect(await storedIds(tg[db])).toEqual(expected);
      }
      const file = result.files.find((f) => f.file === mixed)?.rejectsFile as string;
      const records = (await readFile(file, "utf8"))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(records.map((r) => [r.lineNo, r.error.slice(0, 24)])).toEqual([
        [5, "not UTF-8 text: byte 0xe"],
        [10, `the line is ${Buffer.byteLength(long)} bytes long`.slice(0, 24)],
      ]);
      expect(records[0].text).toBe('{"id":5,"text":"caf\ufffd"}');
      expect(records[1].text).toBe(long.slice(0, 1024));
    }
  });
});

describe("a directory skipped .json.gz, .ndjson, links and macOS zips without a word", () => {
  it("loads .json.gz, .ndjson, a symlinked file and a zip with __MACOSX members, and names what it passed over", async () => {
    const d = join(dir, "archives");
    await mkdir(d);
    await writeFile(join(d, "a.json.gz"), gzipSync(prettyArray(tweetLines(500, 10))));
    await writeFile(join(d, "b.ndjson"), `${tweetLines(510, 10).join("\n")}\n`);
    const outside = join(dir, "outside.jsonl");
    await writeFile(outside, `${tweetLines(520, 10).join("\r\n")}\r\n`);
    await symlink(outside, join(d, "c-link.jsonl"));
    await symlink(join(dir, "missing.jsonl"), join(d, "d-broken.jsonl"));
    await writeFile(
      join(d, "e.zip"),
      await zipOf([
        ["day/", ""],
        ["day/tweets.jsonl", `${tweetLines(530, 10).join("\n")}\n`],
        ["__MACOSX/day/._tweets.jsonl", "\u0000\u0005\u0016\u0007Mac OS X \u00ff"],
      ]),
    );
    await writeFile(join(d, "notes.txt"), "not tweets\n");
    const t = await targets();
    const run = await runCli([
      "load",
      "--db",
      "all",
      "--json",
      "-j",
      "2",
      "--rejects",
      join(dir, "dir-rejects"),
      ...targetFlags(t),
      d,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `passed over ${join(d, "d-broken.jsonl")}: a broken symbolic link`,
    );
    expect(run.stderr).toContain(`passed over ${join(d, "notes.txt")}: not a name tweetload reads`);
    const summary = JSON.parse(run.stdout);
    expect(summary.totals).toMatchObject({ tweets: 3 * 40, rejects: 0, failed: 0 });
    const zip = summary.files.find((f: { file: string }) => f.file.endsWith("e.zip"));
    expect(zip.skippedMembers).toEqual([
      {
        name: "__MACOSX/day/._tweets.jsonl",
        reason: "macOS resource data (__MACOSX/), not tweets",
      },
      { name: "day/", reason: "a directory entry" },
    ]);
    for (const db of DB_KINDS) expect(await storedIds(t[db])).toEqual(ids(500, 40));
  });
});

describe("a long line was joined in quadratic time and held whole (6.4 GB, then a crash)", () => {
  /** 200 MB of "x" as a stream: the zip is built without holding it. */
  const longLine = () =>
    Readable.from(
      (function* () {
        const piece = Buffer.alloc(1 << 20, "x");
        for (let i = 0; i < 200; i++) yield piece;
        yield Buffer.from(`\n${tweetLines(600, 1)[0]}\n`);
      })(),
    );

  it.each(["denormalized", "normalized_batch"] as const)(
    "a zip member that inflates to 200 MB without a newline is rejected in %s with its head kept, the rest loads, and memory stays far below 512 MB",
    async (db) => {
      const file = join(dir, `huge-${db}.zip`);
      await writeFile(file, await zipOf([["huge.jsonl", longLine()]]));
      const t = await targets();
      const rejects = join(dir, `huge-rejects-${db}`);
      const started = performance.now();
      const run = await runCli([
        "load",
        "--db",
        db,
        "--json",
        "-j",
        "1",
        "--rejects",
        rejects,
        ...targetFlags(t),
        file,
      ]);
      const seconds = (performance.now() - started) / 1000;
      expect(run.code).toBe(0);
      const summary = JSON.parse(run.stdout);
      expect(summary.files[0]).toMatchObject({ status: "loaded", tweets: 1, rejects: 1 });
      expect(summary.resources.maxRssMB).toBeLessThan(512);
      // Quadratic joining took minutes here; linear reading takes seconds.
      expect(seconds).toBeLessThan(60);
      expect(await storedIds(t[db])).toEqual([tweetId(600)]);
      const record = JSON.parse(await readFile(summary.files[0].rejectsFile, "utf8"));
      expect(record).toMatchObject({ member: "huge.jsonl", lineNo: 1, text: "x".repeat(1024) });
      expect(record.error).toMatch(
        /^the line is 209715200 bytes long, more than --max-line-bytes 16777216/,
      );
    },
    120_000,
  );
});
