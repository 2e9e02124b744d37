import { createWriteStream } from "node:fs";
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  realpath,
  rm,
  stat,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { finished } from "node:stream/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { withClient } from "../../src/db/client.js";
import { DB_KINDS, type DbKind, type Targets } from "../../src/db/kinds.js";
import { postgresAccount } from "../../src/db/os-account.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLines } from "../../src/input/read-lines.js";
import { startWorkerPool } from "../../src/run/pool.js";
import { rejectsPath } from "../../src/run/reject-sink.js";
import { runLoad } from "../../src/run/run-load.js";
import {
  allCounts,
  copyInProgress,
  counts,
  startCli,
  startThrowawayServer,
  type ThrowawayServer,
  tweetloadBackends,
  urlFlags,
  waitFor,
  writingTransaction,
} from "./fault-helpers.js";
import { adminUrl, targetsDroppedBy } from "./helpers/database.js";

const BATCH = 500;
const EXITING_WORKER = join(import.meta.dirname, "helpers", "exiting-worker.mjs");
let dir: string;
let archives: string[];
/** Row counts after one clean load of `archives`, per database. */
let clean: Partial<Record<DbKind, Record<string, number>>>;
/** The first 30 lines of the first archive (tweets), and a file of the first 29. */
let good: string[];
let goodFile: string;
const cleanups: Array<() => Promise<void>> = [];

const targets = () => targetsDroppedBy(cleanups);

const load = (
  t: Partial<Targets>,
  files: string[],
  extra: Partial<Parameters<typeof runLoad>[0]> = {},
) =>
  runLoad({
    files,
    dbs: DB_KINDS.filter((k) => t[k]),
    targets: t,
    jobs: 1,
    batchSize: BATCH,
    rejectsDir: join(dir, "rejects"),
    ...extra,
  });

async function writeZip(path: string, members: Array<[string, Buffer | string]>) {
  const zip = new yazl.ZipFile();
  for (const [name, data] of members) zip.addBuffer(Buffer.from(data), name);
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await finished(out);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-fault-"));
  await chmod(dir, 0o755);
  archives = await generateArchives({
    outDir: join(dir, "data"),
    files: 4,
    tweetsPerFile: 1500,
    seed: 6,
  });
  good = [];
  for await (const line of readLines(archives[0] as string)) {
    good.push(line.text);
    if (good.length === 30) break;
  }
  goodFile = join(dir, "good-lines.jsonl");
  await writeFile(goodFile, `${good.slice(0, 29).join("\n")}\n`);
  const t = await targets();
  const result = await load(t, archives);
  expect(result.totals.failed).toBe(0);
  clean = await allCounts(t);
});
afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

describe("bad lines", () => {
  const BAD = [
    "not json {",
    "[1,2]",
    '"just a string"',
    '{"id":1}',
    '{"id":5,"user":{"id":"x"}}',
    '{"id":7,"user":{"id":8},"text":"half a pair \\ud800"}',
  ];
  let badFile: string;
  let badZip: string;
  /** [member, line number, raw text] of every line that must be rejected. */
  let expected: Array<[string | null, number, string]>;

  beforeAll(async () => {
    const cut = (good[29] as string).slice(0, 100); // a line cut in half
    // Bad lines between good ones, a blank line, a \r\n ending and a cut last line.
    const lines = [good[0], BAD[0], good[1], "", BAD[1], BAD[2], `${good[2]}\r`, BAD[3], BAD[4]];
    lines.push(BAD[5], ...good.slice(3, 20), cut);
    badFile = join(dir, "bad-lines.jsonl");
    await writeFile(badFile, `${lines.join("\n")}\n`);
    badZip = join(dir, "bad-members.zip");
    await writeZip(badZip, [
      ["b.jsonl", `${good.slice(20, 25).join("\n")}\n${BAD[0]}\n`],
      ["a.jsonl", `${BAD[3]}\n${good.slice(25, 29).join("\n")}\n`],
    ]);
    expected = [
      [null, 2, BAD[0] as string],
      [null, 5, BAD[1] as string],
      [null, 6, BAD[2] as string],
      [null, 8, BAD[3] as string],
      [null, 9, BAD[4] as string],
      [null, 10, BAD[5] as string],
      [null, 28, cut],
    ];
  });

  it("go to reject files, the same in all three databases, and the rest loads", async () => {
    const t = await targets();
    const result = await load(t, [badFile, badZip]);
    expect(result.files.map((f) => [f.db, f.status, f.tweets, f.rejects])).toEqual(
      DB_KINDS.flatMap((db) => [
        [db, "loaded", 20, 7],
        [db, "loaded", 9, 2],
      ]),
    );
    for (const db of DB_KINDS) {
      const read = async (file: string) =>
        (await readFile(rejectsPath(join(dir, "rejects"), await realpath(file), db), "utf8"))
          .trim()
          .split("\n")
          .map(
            (l) =>
              JSON.parse(l) as {
                file: string;
                path: string;
                member: string | null;
                lineNo: number;
                text: string;
                error: string;
              },
          );
      const lines = await read(badFile);
      expect(lines.map((r) => [r.member, r.lineNo, r.text])).toEqual(expected);
      const path = await realpath(badFile);
      expect(lines.every((r) => r.file === badFile && r.path === path && r.error.length > 0)).toBe(
        true,
      );
      expect((await read(badZip)).map((r) => [r.member, r.lineNo, r.text])).toEqual([
        ["a.jsonl", 1, BAD[3]],
        ["b.jsonl", 6, BAD[0]],
      ]);
      expect(result.files.find((f) => f.db === db && f.file === badFile)?.rejectsFile).toBe(
        rejectsPath(join(dir, "rejects"), await realpath(badFile), db),
      );
    }
    // Final rows: those of a clean load of the good lines alone, file by file (the batch
    // database repeats a user once per batch, so the files must be the same).
    const refA = join(dir, "ref-a.jsonl");
    const refB = join(dir, "ref-b.jsonl");
    await writeFile(refA, `${good.slice(0, 20).join("\n")}\n`);
    await writeFile(refB, `${[...good.slice(25, 29), ...good.slice(20, 25)].join("\n")}\n`);
    const reference = await targets();
    await load(reference, [refA, refB]);
    const got = await allCounts(t);
    const want = await allCounts(reference);
    for (const db of DB_KINDS) {
      expect({ ...got[db], "tweetload.journal": 0 }).toEqual({
        ...want[db],
        "tweetload.journal": 0,
      });
    }
  });

  it("past --max-rejects fail the file, rolled back", async () => {
    const t = await targets();
    const result = await load(t, [badFile], { maxRejects: 6 });
    for (const f of result.files) {
      // The per-tweet loader commits as it goes: what it had committed before the seventh
      // bad line (the cut last line) stays, and the report says so (partial, exact count).
      const committed = f.db === "normalized" ? (await counts(f.db, t[f.db])).tweets : 0;
      expect(f).toMatchObject({
        status: committed > 0 ? "partial" : "failed",
        tweets: committed,
        error: expect.stringMatching(/--max-rejects 6/),
      });
    }
    // The COPY loaders lose the whole file; no database lists it as loaded.
    expect((await counts("denormalized", t.denormalized)).tweets_jsonb).toBe(0);
    expect((await counts("normalized_batch", t.normalized_batch)).tweets).toBe(0);
    for (const db of DB_KINDS) {
      expect((await counts(db, t[db]))["tweetload.journal"]).toBe(0);
    }
  });
});

describe("bad files", () => {
  it("each fail with one line naming it; the good file loads; exit code 1", async () => {
    const bad = join(dir, "bad-files");
    await mkdir(bad);
    await chmod(bad, 0o755);
    const files = {
      notZip: join(bad, "not-a-zip.zip"),
      truncated: join(bad, "truncated.zip"),
      empty: join(bad, "empty.jsonl"),
      unreadable: join(bad, "unreadable.jsonl"),
      gzip: join(bad, "not-gzip.jsonl.gz"),
    };
    await writeFile(files.notZip, "this is not a zip archive\n");
    const whole = await readFile(archives[0] as string);
    await writeFile(files.truncated, whole.subarray(0, Math.floor(whole.length / 2)));
    await writeFile(files.empty, "");
    await writeFile(files.unreadable, '{"id":1,"user":{"id":2}}\n');
    await chmod(files.unreadable, 0o000);
    // A line that is not UTF-8 no longer fails its file: it is that line's reject
    // (test/integration/input.test.ts).
    await writeFile(files.gzip, "plain text, not gzip\n");
    const t = await targets();
    // Root reads any file: run the CLI as the postgres account so the mode 000 file is unreadable.
    const account = await postgresAccount();
    const run = startCli(
      [
        "load",
        "--db",
        "all",
        "--json",
        "-j",
        "2",
        "--rejects",
        join(bad, "rejects"),
        ...urlFlags(t),
        bad,
        archives[1] as string,
      ],
      "uid" in account ? { uid: account.uid, gid: account.gid, cwd: bad } : { cwd: bad },
    );
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/\n\s+at /);
    const summary = JSON.parse(stdout) as {
      files: Array<{ file: string; db: string; status: string; error?: string }>;
    };
    for (const file of Object.values(files)) {
      const reports = summary.files.filter((f) => f.file === file);
      expect(reports.map((r) => r.status)).toEqual(["failed", "failed", "failed"]);
      for (const r of reports) {
        expect(r.error).toContain(file);
        expect(r.error).not.toContain("\n");
      }
    }
    expect(summary.files.find((f) => f.file === files.empty)?.error).toMatch(/empty/);
    expect(summary.files.find((f) => f.file === files.unreadable)?.error).toMatch(
      /EACCES|permission/i,
    );
    const loaded = summary.files.filter((f) => f.file === archives[1]);
    expect(loaded.map((r) => r.status)).toEqual(["loaded", "loaded", "loaded"]);
    for (const db of DB_KINDS) expect((await counts(db, t[db]))["tweetload.journal"]).toBe(1);
  });
});

describe("crashes and re-runs", () => {
  /** After a crash, the denormalized rows are whole files: the journal's tweets add up. */
  async function wholeFilesOnly(url: string) {
    await withClient(url, async (c) => {
      const { rows } = await c.query<{ rows: string; journal: string }>(
        `SELECT (SELECT count(*) FROM tweets_jsonb) AS rows,
                (SELECT coalesce(sum(tweets), 0) FROM tweetload.journal) AS journal`,
      );
      expect(rows[0]?.rows).toBe(rows[0]?.journal);
    });
  }

  it.each(DB_KINDS)(
    "the whole CLI killed (SIGKILL) mid-load into %s, then run again: one clean load's rows",
    async (db) => {
      const t = await targets();
      const only = { [db]: t[db] } as Partial<Targets>;
      const args = [
        "load",
        "--db",
        db,
        "-j",
        "2",
        "--batch-size",
        String(BATCH),
        "--rejects",
        join(dir, "rejects"),
        ...urlFlags(only),
        ...archives,
      ];
      const run = startCli(args);
      let exited = false;
      void run.done.then(() => {
        exited = true;
      });
      await waitFor("rows on their way", async () => {
        if (exited) throw new Error("the load finished before it could be killed");
        return db === "normalized"
          ? (await counts(db, t[db])).tweets > 0
          : writingTransaction(adminUrl(), t[db]);
      });
      run.child.kill("SIGKILL");
      expect((await run.done).signal).toBe("SIGKILL");
      const journal = (await counts(db, t[db]))["tweetload.journal"];
      expect(journal).toBeLessThan(archives.length);
      if (db === "denormalized") await wholeFilesOnly(t[db]);
      const again = await startCli(args).done;
      expect(again.code).toBe(0);
      expect(await counts(db, t[db])).toEqual(clean[db]);
    },
  );

  it.each(["denormalized", "normalized_batch"] as const)(
    "a worker that dies mid-file (%s) fails only that file, rolled back; a re-run completes it",
    async (db) => {
      const t = await targets();
      const args = ["load", "--db", db, "--json", "-j", "2", "--batch-size", String(BATCH)];
      args.push(...urlFlags({ [db]: t[db] }), ...archives);
      // The crash comes from a test-only worker entry (helpers/exiting-worker.mjs), which
      // reads these when the pool starts its threads.
      process.env.TWEETLOAD_TEST_WORKER_EXIT_AT = "1000";
      process.env.TWEETLOAD_TEST_WORKER_EXIT_MARKER = join(dir, `worker-exit-${db}`);
      const pool = startWorkerPool(2, BATCH, { entry: EXITING_WORKER });
      const first = await runLoad({
        files: archives,
        dbs: [db],
        targets: { [db]: t[db] },
        jobs: 2,
        batchSize: BATCH,
        pool,
      }).finally(() => {
        delete process.env.TWEETLOAD_TEST_WORKER_EXIT_AT;
        delete process.env.TWEETLOAD_TEST_WORKER_EXIT_MARKER;
        return pool.destroy();
      });
      const failed = first.files.filter((f) => f.status === "failed");
      expect(failed).toHaveLength(1);
      expect(failed[0]?.error).toMatch(/worker loading it stopped/);
      expect((await counts(db, t[db]))["tweetload.journal"]).toBe(archives.length - 1);
      if (db === "denormalized") await wholeFilesOnly(t[db]);
      const again = await startCli(args).done;
      expect(again.code).toBe(0);
      const files = (JSON.parse(again.stdout) as { files: Array<{ status: string }> }).files;
      expect(files.map((f) => f.status).sort()).toEqual([
        "loaded",
        "skipped",
        "skipped",
        "skipped",
      ]);
      expect(await counts(db, t[db])).toEqual(clean[db]);
    },
  );

  it("Ctrl-C (SIGINT) rolls back the files in flight, says what was not loaded, exits 130, leaves no backend", async () => {
    const t = await targets();
    const args = [
      "load",
      "--db",
      "all",
      "-j",
      "2",
      "--batch-size",
      String(BATCH),
      "--rejects",
      join(dir, "rejects"),
      ...urlFlags(t),
      ...archives,
    ];
    const run = startCli(args);
    await waitFor("a COPY under way", () => copyInProgress(adminUrl(), t.denormalized));
    run.child.kill("SIGINT");
    const { code, stdout } = await run.done;
    expect(code).toBe(130);
    expect(stdout).toMatch(
      /interrupted: of 12 files, \d+ loaded, \d+ already there, \d+ partial .*, \d+ not loaded/,
    );
    for (const db of DB_KINDS) {
      await waitFor(
        "the backends to go",
        async () => (await tweetloadBackends(adminUrl(), t[db])).length === 0,
        10,
      );
    }
    await wholeFilesOnly(t.denormalized);
    const again = await startCli(args).done;
    expect(again.code).toBe(0);
    expect(await allCounts(t)).toEqual(clean);
  });
});

describe("lost connections", () => {
  const LOCKED: Record<DbKind, string> = {
    denormalized: "tweets_jsonb",
    normalized: "tweets",
    normalized_batch: "tweets",
  };

  it.each(DB_KINDS)(
    "a backend of %s terminated (pg_terminate_backend) while its COPY or INSERT waits: the file is tried again",
    async (db) => {
      const t = await targets();
      const only = { [db]: t[db] } as Partial<Targets>;
      // A lock held by the test makes the loader's first write wait, so the backend is
      // terminated mid-statement at a moment the test chooses.
      await withClient(t[db], async (locker) => {
        await locker.query("BEGIN");
        await locker.query(`LOCK TABLE ${LOCKED[db]} IN EXCLUSIVE MODE`);
        const loading = load(only, archives);
        let pids: number[] = [];
        await waitFor("the loader to wait on the lock", async () => {
          pids = await tweetloadBackends(adminUrl(), t[db], "wait_event_type = 'Lock'");
          return pids.length > 0;
        });
        await withClient(adminUrl(), (c) => c.query("SELECT pg_terminate_backend($1)", [pids[0]]));
        await locker.query("COMMIT");
        const result = await loading;
        expect(result.files.map((f) => f.status)).toEqual(archives.map(() => "loaded"));
        expect(result.files[0]?.attempts).toBe(2);
      });
      expect(await counts(db, t[db])).toEqual(clean[db]);
    },
  );

  describe("a server restarted mid-load", () => {
    let server: ThrowawayServer | undefined;
    afterAll(async () => {
      await server?.stop();
    });

    it("retries the files with backoff and ends with one clean load's rows", async () => {
      server = await startThrowawayServer();
      const t = server.targets;
      await withClient(t.denormalized, async (locker) => {
        locker.on("error", () => {});
        await locker.query("BEGIN");
        await locker.query("LOCK TABLE tweets_jsonb IN EXCLUSIVE MODE");
        const loading = load(t, archives);
        await waitFor(
          "the loader to wait on the lock",
          async () =>
            (
              await tweetloadBackends(
                server?.adminUrl as string,
                t.denormalized,
                "wait_event_type = 'Lock'",
              )
            ).length > 0,
        );
        await server?.restart();
        const result = await loading;
        expect(result.totals.failed).toBe(0);
        expect(result.files[0]?.attempts).toBeGreaterThanOrEqual(2);
      });
      expect(await allCounts(t)).toEqual(clean);
    });
  });
});

describe("files never reach SQL text", () => {
  it("a file name full of quotes and semicolons is only a parameter", async () => {
    const t = await targets();
    const odd = join(dir, "it's; DROP TABLE tweets; --.jsonl");
    await writeFile(odd, await readFile(goodFile));
    const result = await load({ denormalized: t.denormalized }, [odd]);
    expect(result.files[0]).toMatchObject({ status: "loaded", tweets: 29 });
    const names = await withClient(t.denormalized, async (c) =>
      (await c.query<{ n: string }>("SELECT file_name AS n FROM tweetload.journal")).rows.map(
        (r) => r.n,
      ),
    );
    expect(names).toEqual([basename(odd)]);
    expect((await stat(odd)).size).toBeGreaterThan(0);
    await truncate(odd, 0);
  });
});
