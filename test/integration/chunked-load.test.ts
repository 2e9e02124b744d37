import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { withClient } from "../../src/db/client.js";
import type { DbKind, Targets } from "../../src/db/kinds.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLines } from "../../src/input/read-lines.js";
import type { LoaderId } from "../../src/load/registry.js";
import { startWorkerPool } from "../../src/run/pool.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import { type LoadRunOptions, runLoad } from "../../src/run/run-load.js";
import { contents, killOnceChunksCommitted, startCli, urlFlags, waitFor } from "./fault-helpers.js";
import { adminUrl, targetsDroppedBy } from "./helpers/database.js";
import { TEST_LOADERS as LOADERS } from "./helpers/loaders.js";

// A file loaded in chunks on several workers must end as the same rows as the
// file loaded whole on one thread, and a load stopped mid-file must report what the
// database holds and resume by chunk.

const EXITING_WORKER = join(import.meta.dirname, "helpers", "exiting-worker.mjs");
const BATCH = 100;

/** Each loader: the database it fills and its registry id. */

async function scalar(url: string, sql: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0]?.n));
}

/**
 * Tweets of a file in the database as the report counts them: one per tweet line where
 * every line is a row (denormalized, normalized_batch), distinct tweets in pg_normalized.
 */
const tweetsIn = (db: DbKind, url: string) =>
  scalar(
    url,
    {
      denormalized: "SELECT count(*) AS n FROM tweets_jsonb",
      normalized: "SELECT count(DISTINCT id_tweets) AS n FROM tweets",
      normalized_batch: "SELECT count(*) AS n FROM tweets",
    }[db],
  );

const chunkRows = (url: string) =>
  scalar(url, "SELECT count(*) AS n FROM tweetload.journal_chunks");

let dir: string;
let zipFile: string;
let plainFile: string;
let bigFile: string;
/** Lines of bigFile (all tweets). */
let bigLines: number;
const cleanups: Array<() => Promise<void>> = [];

const targets = () => targetsDroppedBy(cleanups);

async function writeZip(path: string, members: Array<[string, string]>) {
  const zip = new yazl.ZipFile();
  for (const [name, data] of members) zip.addBuffer(Buffer.from(data), name);
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await finished(out);
}

const NOTICE = '{"delete":{"status":{"id":1,"id_str":"1","user_id":2,"user_id_str":"2"}}}';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-chunks-"));
  const [archive, big] = await generateArchives({
    outDir: join(dir, "gen"),
    files: 2,
    tweetsPerFile: 900,
    seed: 16,
  });
  const lines: string[] = [];
  for await (const line of readLines(archive as string)) lines.push(line.text);
  // A zip of two members and a plain file, with bad lines, notices and blank lines between.
  const a = [...lines.slice(0, 250), "not json {", NOTICE, "", ...lines.slice(250, 400)];
  const b = [...lines.slice(400, 600), '{"id": 1}', ...lines.slice(600, 700)];
  zipFile = join(dir, "two-members.zip");
  await writeZip(zipFile, [
    ["b.jsonl", b.join("\n")],
    ["a.jsonl", `${a.join("\r\n")}\r\n`],
  ]);
  plainFile = join(dir, "plain.jsonl");
  await writeFile(
    plainFile,
    `${[...lines.slice(700), "[1]", NOTICE, ...lines.slice(0, 50)].join("\n")}\n`,
  );
  // Twice the tweets of one generated file, for the loads that are stopped midway.
  const more: string[] = [];
  for await (const line of readLines(big as string)) more.push(line.text);
  bigFile = join(dir, "big.jsonl");
  await writeFile(bigFile, `${[...lines, ...more].join("\n")}\n`);
  bigLines = lines.length + more.length;
});

afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

const load = (t: Partial<Targets>, db: DbKind, loader: LoaderId, extra: Partial<LoadRunOptions>) =>
  runLoad({
    files: [zipFile, plainFile],
    dbs: [db],
    targets: t,
    loaders: { [db]: loader },
    jobs: 1,
    batchSize: BATCH,
    ...extra,
  });

describe("a file loaded in chunks on several workers", () => {
  it.each(LOADERS)(
    "$name: --jobs 4 in chunks gives exactly the rows, counts and rejects of --jobs 1",
    async ({ db, loader }) => {
      const one = await targets();
      const four = await targets();
      const rejects1 = join(dir, `rejects-1-${loader}`);
      const rejects4 = join(dir, `rejects-4-${loader}`);
      const r1 = await load(one, db, loader, { rejectsDir: rejects1 });
      // 37 lines a chunk: chunks end inside each member and mid-way between bad lines.
      const r4 = await load(four, db, loader, { jobs: 4, chunkLines: 37, rejectsDir: rejects4 });
      const summary = (r: typeof r1) =>
        r.files.map((f) => [f.file, f.status, f.tweets, f.rejects, f.notices]);
      expect(summary(r4)).toEqual(summary(r1));
      expect(r4.files.map((f) => f.status)).toEqual(["loaded", "loaded"]);
      expect(r4.files.map((f) => f.rejects)).toEqual([2, 1]);
      expect(await contents(db, four[db])).toEqual(await contents(db, one[db]));
      expect(await chunkRows(four[db])).toBe(0);
      // The journal rows hold the same counts.
      const journal = (url: string) =>
        withClient(
          url,
          async (c) =>
            (
              await c.query(
                "SELECT file_name, tweets, rejects, notices FROM tweetload.journal ORDER BY file_name",
              )
            ).rows,
        );
      expect(await journal(four[db])).toEqual(await journal(one[db]));
      // Reject files: the same records, each once (several workers append to one file).
      for (const file of [zipFile, plainFile]) {
        const records = async (rejectsDir: string) =>
          (await readFile(rejectsPath(rejectsDir, file, db), "utf8")).split("\n").sort();
        expect(await records(rejects4)).toEqual(await records(rejects1));
      }
    },
  );
});

describe("a chunked load stopped mid-file", () => {
  it.each(LOADERS.filter((l) => l.loader !== "normalized-staged-batch"))(
    "$name: a worker killed after some chunks is partial with the database's count; the re-run loads only the missing chunks",
    async ({ db, loader }) => {
      const clean = await targets();
      const whole = await runLoad({
        files: [bigFile],
        dbs: [db],
        targets: clean,
        loaders: { [db]: loader },
        jobs: 1,
        batchSize: BATCH,
      });
      const t = await targets();
      process.env.TWEETLOAD_TEST_WORKER_EXIT_CHUNK = "8";
      process.env.TWEETLOAD_TEST_WORKER_EXIT_MARKER = join(dir, `exit-chunk-${loader}`);
      const pool = startWorkerPool(2, BATCH, { entry: EXITING_WORKER });
      const options = {
        files: [bigFile],
        dbs: [db],
        targets: t,
        loaders: { [db]: loader },
        jobs: 2,
        chunkLines: 100,
        batchSize: BATCH,
      };
      const first = await runLoad({ ...options, pool }).finally(() => {
        delete process.env.TWEETLOAD_TEST_WORKER_EXIT_CHUNK;
        delete process.env.TWEETLOAD_TEST_WORKER_EXIT_MARKER;
        return pool.destroy();
      });
      const [report] = first.files;
      expect(report?.status).toBe("partial");
      expect(report?.error).toMatch(/worker loading it stopped/);
      expect(report?.tweets).toBe(await tweetsIn(db, t[db]));
      const committed = await chunkRows(t[db]);
      expect(committed).toBeGreaterThan(0);
      const chunks = Math.ceil(bigLines / 100);
      expect(committed).toBeLessThan(chunks);
      expect(await scalar(t[db], "SELECT count(*) AS n FROM tweetload.journal")).toBe(0);

      const again = await runLoad(options);
      const [done] = again.files;
      expect(done?.status).toBe("loaded");
      expect(done?.note).toMatch(new RegExp(`resumed: ${committed} of its ${chunks} chunks`));
      expect(done?.tweets).toBe(whole.files[0]?.tweets);
      expect(await chunkRows(t[db])).toBe(0);
      expect(await contents(db, t[db])).toEqual(await contents(db, clean[db]));
    },
  );

  it.each(["normalized", "denormalized"] as const)(
    "%s: Ctrl-C mid-file reports partial with exactly the tweets in the database; the same command finishes it",
    async (db) => {
      const clean = await targets();
      await runLoad({ files: [bigFile], dbs: [db], targets: clean, jobs: 1, batchSize: BATCH });
      const t = await targets();
      const only = { [db]: t[db] } as Partial<Targets>;
      const args = ["load", "--db", db, "--json", "-j", "2", "--chunk-lines", "20"];
      args.push("--batch-size", String(BATCH), "--rejects", join(dir, `rejects-int-${db}`));
      args.push(...urlFlags(only), bigFile);
      const run = startCli(args);
      let exited = false;
      void run.done.then(() => {
        exited = true;
      });
      await waitFor("chunks committed", async () => {
        if (exited) throw new Error("the load finished before it could be interrupted");
        return (await chunkRows(t[db])) >= 3;
      });
      run.child.kill("SIGINT");
      const { code, stdout } = await run.done;
      expect(code).toBe(130);
      const files = (JSON.parse(stdout) as { files: Array<{ status: string; tweets: number }> })
        .files;
      expect(files[0]?.status).toBe("partial");
      expect(files[0]?.tweets).toBe(await tweetsIn(db, t[db]));
      const again = await startCli(args).done;
      expect(again.code).toBe(0);
      const [done] = (
        JSON.parse(again.stdout) as { files: Array<{ status: string; note?: string }> }
      ).files;
      expect(done?.status).toBe("loaded");
      expect(done?.note).toMatch(
        new RegExp(`resumed: \\d+ of its ${Math.ceil(bigLines / 20)} chunks`),
      );
      expect(await tweetsIn(db, t[db])).toBe(await tweetsIn(db, clean[db]));
    },
  );

  it("normalized_batch: the process killed (SIGKILL) mid-file re-runs to one clean load, resuming by chunk", async () => {
    const db = "normalized_batch";
    const clean = await targets();
    await runLoad({ files: [bigFile], dbs: [db], targets: clean, jobs: 1, batchSize: BATCH });
    const t = await targets();
    const args = ["load", "--db", db, "--json", "-j", "2", "--chunk-lines", "10"];
    args.push("--batch-size", "10", ...urlFlags({ [db]: t[db] }), bigFile);
    const committed = await killOnceChunksCommitted(args, adminUrl(), t[db]);
    const again = await startCli(args).done;
    expect(again.code).toBe(0);
    const [done] = (JSON.parse(again.stdout) as { files: Array<{ note?: string }> }).files;
    expect(done?.note).toMatch(
      new RegExp(`resumed: ${committed} of its ${Math.ceil(bigLines / 10)} chunks`),
    );
    expect(await contents(db, t[db])).toEqual(await contents(db, clean[db]));
  });
});

describe("the file-level journal rules on a chunked file", () => {
  it.each(["denormalized", "normalized"] as const)(
    "%s: a second run skips it; --replace after it changed forgets the earlier load once, then loads every chunk",
    async (db) => {
      const file = join(dir, `replace-${db}.jsonl`);
      const lines = (await readFile(plainFile, "utf8")).split("\n").filter((l) => l !== "");
      await writeFile(file, `${lines.slice(0, 120).join("\n")}\n`);
      const t = await targets();
      const options: LoadRunOptions = {
        files: [file],
        dbs: [db],
        targets: t,
        jobs: 2,
        chunkLines: 25,
        batchSize: BATCH,
      };
      expect((await runLoad(options)).files[0]?.status).toBe("loaded");
      const skipped = (await runLoad(options)).files[0];
      expect(skipped?.status).toBe("skipped");
      expect(skipped?.note).toMatch(/already loaded/);
      // Changed in place: refused, then replaced with --replace.
      await writeFile(file, `${lines.slice(60).join("\n")}\n`);
      const refused = (await runLoad(options)).files[0];
      expect(refused?.status).toBe("failed");
      expect(refused?.error).toMatch(/changed since it was loaded.*--replace/);
      const replaced = (await runLoad({ ...options, replace: true })).files[0];
      expect(replaced?.status).toBe("loaded");
      expect(replaced?.note).toMatch(
        /replaced the earlier load of this file \(\d+ tweet rows removed\)/,
      );
      const clean = await targets();
      await runLoad({ ...options, targets: clean, jobs: 1 });
      // forget_load keeps pg_normalized's dictionaries (urls, users), as for a whole file.
      const facts = async (url: string) => {
        const { urls: _urls, users: _users, ...rest } = await contents(db, url);
        return rest;
      };
      expect(await facts(t[db])).toEqual(await facts(clean[db]));
    },
  );
});
