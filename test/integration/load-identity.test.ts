import {
  appendFile,
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import type { DbKind, Targets } from "../../src/db/kinds.js";
import { applySchema } from "../../src/db/schema.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLines } from "../../src/input/read-lines.js";
import type { LoaderId } from "../../src/load/registry.js";
import { runLoad } from "../../src/run/run-load.js";
import {
  chunkJournalRows,
  contents,
  killOnceChunksCommitted,
  startCli,
  urlFlags,
  waitFor,
} from "./fault-helpers.js";
import { holdContentLock, waitingForLock } from "./helpers/content-lock.js";
import { adminUrl, targetsPool } from "./helpers/database.js";

// A file's identity and its load are one fact (docs/faults.md, "Journal"): whatever the
// mode (chunked or whole, -j, --batch) and whatever runs at the same time, a file's content
// is loaded once, and the content journaled is the content loaded.

const LOADERS: Array<{ name: string; db: DbKind; loader: LoaderId }> = [
  { name: "denormalized", db: "denormalized", loader: "denormalized" },
  { name: "normalized (per tweet)", db: "normalized", loader: "normalized-per-tweet" },
  { name: "normalized --batch", db: "normalized", loader: "normalized-staged-batch" },
  { name: "normalized_batch", db: "normalized_batch", loader: "normalized-batch-copy" },
];

const BATCH = 10;
let dir: string;
/** Two generated archives' lines (tweets, and the odd notice). */
let bigFile: string;
let bigLines: number;
/** Other tweets, for a file renamed over bigFile's copies. */
let otherLines: string[];
/** 300 of bigFile's lines, for the loads that need not be slow. */
let smallFile: string;
/** A small file of other tweets. */
let secondFile: string;
const pool = targetsPool();
const targets = pool.targets;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-load-identity-"));
  const archives = await generateArchives({
    outDir: join(dir, "gen"),
    files: 3,
    tweetsPerFile: 900,
    seed: 29,
  });
  const lines: string[][] = [];
  for (const archive of archives) {
    const of: string[] = [];
    for await (const line of readLines(archive)) of.push(line.text);
    lines.push(of);
  }
  bigFile = join(dir, "big.jsonl");
  const big = [...(lines[0] ?? []), ...(lines[1] ?? [])];
  await writeFile(bigFile, `${big.join("\n")}\n`);
  bigLines = big.length;
  smallFile = join(dir, "small.jsonl");
  await writeFile(smallFile, `${big.slice(0, 300).join("\n")}\n`);
  otherLines = lines[2] ?? [];
  secondFile = join(dir, "second.jsonl");
  await writeFile(secondFile, `${otherLines.slice(0, 20).join("\n")}\n`);
});

afterAll(async () => {
  await pool.dropAll();
  await rm(dir, { recursive: true, force: true });
});

const chunkRows = chunkJournalRows;
const journal = (url: string) =>
  withClient(
    url,
    async (c) =>
      (
        await c.query<{ size: string; content_hash: string; tweets: string }>(
          "SELECT size, content_hash, tweets FROM tweetload.journal ORDER BY file_name",
        )
      ).rows,
  );

/** The CLI's flags for one loader into one database of `t`. */
function cliArgs(db: DbKind, loader: LoaderId, t: Targets): string[] {
  const args = ["load", "--db", db, "--json", "--batch-size", String(BATCH)];
  if (loader === "normalized-staged-batch") args.push("--batch");
  args.push("--rejects", join(dir, `rejects-${loader}`), ...urlFlags({ [db]: t[db] }));
  return args;
}

type Json = { files: Array<{ status: string; tweets: number; note?: string; error?: string }> };

const cleanLoads = new Map<string, Promise<{ rows: Record<string, string[]>; journal: unknown }>>();

/**
 * A clean load of `files` by one loader, in fresh databases: its table contents and
 * journal (made once per loader and files; a file's content must not change after).
 */
function cleanContents(db: DbKind, loader: LoaderId, ...files: string[]) {
  const key = [loader, ...files].join("\n");
  let clean = cleanLoads.get(key);
  if (!clean) {
    clean = (async () => {
      const t = await targets();
      const r = await runLoad({
        files,
        dbs: [db],
        targets: t,
        loaders: { [db]: loader },
        jobs: 1,
        batchSize: BATCH,
      });
      for (const f of r.files) expect(f.status).toBe("loaded");
      return { rows: await contents(db, t[db]), journal: await journal(t[db]) };
    })();
    cleanLoads.set(key, clean);
  }
  return clean;
}

/** Kills (SIGKILL) a load of `file` in chunks (-j 2, 10 lines a chunk); the chunks committed. */
const killChunkedLoad = (db: DbKind, loader: LoaderId, t: Targets, file: string) =>
  killOnceChunksCommitted(
    [...cliArgs(db, loader, t), "-j", "2", "--chunk-lines", "10", file],
    adminUrl(),
    t[db],
  );

/** That the database holds exactly a clean load's rows and journal, and no chunk rows. */
async function expectClean(
  db: DbKind,
  url: string,
  clean: Awaited<ReturnType<typeof cleanContents>>,
) {
  expect(await contents(db, url)).toEqual(clean.rows);
  expect(await journal(url)).toEqual(clean.journal);
  expect(await chunkRows(url)).toBe(0);
}

/** The report of a CLI run of one file, and that it exited 0. */
async function loadedReport(args: string[]) {
  const done = await startCli(args).done;
  expect(done.code, done.stderr).toBe(0);
  return (JSON.parse(done.stdout) as Json).files[0];
}

describe("a chunked load killed (SIGKILL), then the same file loaded whole", () => {
  // Whole on this thread (-j 1), whole on a worker (-j 2 with a second file, so files are
  // not cut), and whole by choice (--chunk-lines 0).
  const modes = {
    "-j 1": () => ["-j", "1", bigFile],
    "-j 2 with a second file": () => ["-j", "2", bigFile, secondFile],
    "--chunk-lines 0": () => ["-j", "2", "--chunk-lines", "0", bigFile],
  };
  const cases = [
    ...LOADERS.map((l) => ({ ...l, mode: "-j 1" as const })),
    ...LOADERS.filter((l) => l.loader !== "normalized-staged-batch").flatMap((l) =>
      (["-j 2 with a second file", "--chunk-lines 0"] as const).map((mode) => ({ ...l, mode })),
    ),
  ];
  it.each(cases)(
    "$name, $mode: the whole load resumes the chunks committed; the rows equal one clean load",
    async ({ db, loader, mode }) => {
      const both = mode === "-j 2 with a second file";
      const clean = await cleanContents(db, loader, bigFile, ...(both ? [secondFile] : []));
      const t = await targets();
      const committed = await killChunkedLoad(db, loader, t, bigFile);
      const report = await loadedReport([...cliArgs(db, loader, t), ...modes[mode]()]);
      expect(report?.status).toBe("loaded");
      expect(report?.note).toMatch(
        new RegExp(`resumed: ${committed} of its ${Math.ceil(bigLines / 10)} chunks`),
      );
      await expectClean(db, t[db], clean);
    },
  );

  it("moved to another folder before the re-run: the load from there resumes the same chunks", async () => {
    const db = "normalized_batch";
    const loader = "normalized-batch-copy";
    const clean = await cleanContents(db, loader, bigFile);
    const t = await targets();
    const from = join(dir, "move-from", "big.jsonl");
    const to = join(dir, "move-to", "big.jsonl");
    await mkdir(dirname(from), { recursive: true });
    await mkdir(dirname(to), { recursive: true });
    await copyFile(bigFile, from);
    const committed = await killChunkedLoad(db, loader, t, from);
    await rename(from, to);
    const report = await loadedReport([...cliArgs(db, loader, t), "-j", "1", to]);
    expect(report?.note).toMatch(new RegExp(`resumed: ${committed} of its`));
    expect(await contents(db, t[db])).toEqual(clean.rows);
    expect(await chunkRows(t[db])).toBe(0);
  });

  it("changed before the re-run: refused as changed since a load that did not finish; --replace loads the new content alone", async () => {
    const db = "denormalized";
    const loader = "denormalized";
    const file = join(dir, "changed-after-kill.jsonl");
    await copyFile(bigFile, file);
    const t = await targets();
    await killChunkedLoad(db, loader, t, file);
    await writeFile(file, `${otherLines.join("\n")}\n`);
    const refused = await startCli([...cliArgs(db, loader, t), "-j", "1", file]).done;
    expect(refused.code).toBe(1);
    expect((JSON.parse(refused.stdout) as Json).files[0]?.error).toMatch(
      /changed since a load of it began on .* that did not finish \(then SHA-1 [0-9a-f]{12}; now \d+ bytes, SHA-1 [0-9a-f]{12}\): not loaded\. --replace/,
    );
    const replaced = await loadedReport([...cliArgs(db, loader, t), "-j", "1", "--replace", file]);
    expect(replaced?.note).toMatch(
      /replaced the earlier load of this file \(\d+ tweet rows removed\)/,
    );
    const clean = await cleanContents(db, loader, file);
    await expectClean(db, t[db], clean);
  });

  it("in a database whose chunk journal an older tweetload made: refused in one sentence; applying the schema again upgrades it, and its chunks are resumed", async () => {
    const db = "normalized_batch";
    const loader = "normalized-batch-copy";
    const clean = await cleanContents(db, loader, bigFile);
    const t = await targets();
    const committed = await killChunkedLoad(db, loader, t, bigFile);
    // The chunk journal as tweetload made it before chunk rows had a name.
    await withClient(t[db], async (c) => {
      await c.query("DROP INDEX tweetload.journal_chunks_content_idx");
      await c.query("ALTER TABLE tweetload.journal_chunks DROP COLUMN file_name");
    });
    const refused = await startCli([...cliArgs(db, loader, t), "-j", "1", bigFile]).done;
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /chunk journal .* older than this tweetload: apply the schema again/,
    );
    await withClient(t[db], (c) => applySchema(c, db));
    const report = await loadedReport([...cliArgs(db, loader, t), "-j", "1", bigFile]);
    expect(report?.note).toMatch(new RegExp(`resumed: ${committed} of its`));
    expect(await contents(db, t[db])).toEqual(clean.rows);
  });
});

describe("two processes load the same file at once, one in chunks (-j 2), one whole (-j 1)", () => {
  // The test holds the file's content lock as a third tweetload would, so that both
  // processes are started and waiting before either loads: `first` queues first. The
  // chunks first is the harder order (the whole load finds chunks in flight): every loader.
  const cases = [
    ...LOADERS.map((l) => ({ ...l, first: "chunked" as const })),
    ...LOADERS.filter((l) => l.db !== "normalized").map((l) => ({ ...l, first: "whole" as const })),
  ];
  it.each(cases)(
    "$name, the $first one first: the rows are one clean load's",
    async ({ db, loader, first }) => {
      const clean = await cleanContents(db, loader, smallFile);
      const t = await targets();
      const lock = await holdContentLock(t[db], smallFile);
      const modes = {
        whole: ["-j", "1"],
        chunked: ["-j", "2", "--chunk-lines", "10"],
      };
      const order =
        first === "whole" ? (["whole", "chunked"] as const) : (["chunked", "whole"] as const);
      // Lock requests each waits with: the whole file's, or one chunk per worker.
      const waiters = { whole: 1, chunked: 2 };
      const runs = [];
      let waiting = 0;
      try {
        for (const mode of order) {
          runs.push(startCli([...cliArgs(db, loader, t), ...modes[mode], smallFile]));
          waiting += waiters[mode];
          await waitFor(
            `the ${mode} load to wait for the file`,
            async () => (await waitingForLock(adminUrl(), t[db])) >= waiting,
          );
        }
      } finally {
        await lock.release();
      }
      const done = await Promise.all(runs.map((r) => r.done));
      for (const d of done) expect(d.code).toBe(0);
      const whole = done[order.indexOf("whole")];
      expect(whole?.stderr).toMatch(
        new RegExp(`waiting for another load of the same content into pg_${db} to end`),
      );
      const statuses = done.map((d) => (JSON.parse(d.stdout) as Json).files[0]?.status);
      expect(statuses).toContain("loaded");
      for (const s of statuses) expect(["loaded", "skipped"]).toContain(s);
      await expectClean(db, t[db], clean);
    },
  );
});

describe("a file changed while it is loaded", () => {
  // The load is held after it hashed the file (the test holds the file's content lock, as
  // another tweetload loading it would), the file changes, then the load goes on.
  const changes = {
    "renamed over": async (file: string) => {
      const other = `${file}.new`;
      await writeFile(other, `${otherLines.join("\n")}\n`);
      await rename(other, file);
    },
    "appended to": (file: string) => appendFile(file, `${otherLines.slice(0, 50).join("\n")}\n`),
  };
  // Every loader whole; in chunks, one loader of each kind (chunk transactions, and chunks
  // whose tweets commit as they go).
  const cases = [
    ...LOADERS.flatMap((l) =>
      (["renamed over", "appended to"] as const).map((change) => ({
        ...l,
        change,
        mode: "whole" as const,
      })),
    ),
    {
      ...(LOADERS[0] as (typeof LOADERS)[0]),
      change: "renamed over" as const,
      mode: "chunked" as const,
    },
    {
      ...(LOADERS[1] as (typeof LOADERS)[0]),
      change: "appended to" as const,
      mode: "chunked" as const,
    },
  ];
  it.each(cases)(
    "$name, $mode, $change: refused, nothing journaled; the re-run loads the new content cleanly",
    async ({ db, loader, change, mode }) => {
      const file = join(dir, `changing-${loader}-${mode}-${change.replace(" ", "-")}.jsonl`);
      await writeFile(file, await readFile(smallFile));
      const t = await targets();
      const args = [...cliArgs(db, loader, t), ...(mode === "whole" ? ["-j", "1"] : ["-j", "2"])];
      args.push("--chunk-lines", "100", file);
      const lock = await holdContentLock(t[db], file);
      let run: ReturnType<typeof startCli>;
      try {
        run = startCli(args);
        await waitFor("the load to wait for the file", async () => {
          return (await waitingForLock(adminUrl(), t[db])) > 0;
        });
        await changes[change](file);
      } finally {
        await lock.release();
      }
      const first = await run.done;
      expect(first.code).toBe(1);
      const [report] = (JSON.parse(first.stdout) as Json).files;
      expect(report?.error).toMatch(/changed while it was loaded/);
      // Refused before anything of it committed, by every loader: the change came before
      // the first commit of the load (or of any of its chunks) checked the file.
      expect(report).toMatchObject({ status: "failed", tweets: 0 });
      const empty = await contents(db, t[db]);
      for (const rows of Object.values(empty)) expect(rows).toEqual([]);
      expect(await journal(t[db])).toEqual([]);
      expect(await chunkRows(t[db])).toBe(0);
      const again = await startCli(args).done;
      expect(again.code).toBe(0);
      const clean = await cleanContents(db, loader, file);
      expect(await journal(t[db])).toEqual(clean.journal);
      expect(await contents(db, t[db])).toEqual(clean.rows);
    },
  );
});
