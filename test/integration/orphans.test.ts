import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { connectClient } from "../../src/db/connection-config.js";
import type { DbKind } from "../../src/db/kinds.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { runLoad } from "../../src/run/run-load.js";
import {
  counts,
  dbNameOf,
  startCli,
  tweetloadBackends,
  urlFlags,
  waitFor,
} from "./fault-helpers.js";
import { adminUrl, targetsDroppedBy } from "./helpers/database.js";

// A command that is interrupted or killed must leave no statement of it on the server. A
// backend notices its client is gone only when it next reads or writes: a killed `check`
// ran its query for 9+ minutes, and a `db reset` waited silently behind it. Every case
// runs the real CLI and signals it from outside, as a user (or systemd, or the OOM killer)
// would. docs/faults.md, "interrupted or killed".

let dir: string;
let archives: string[];
/** A checker query that runs for a minute holding a lock on the journal, in every database. */
let slowSql: string;
const cleanups: Array<() => Promise<void>> = [];
/** Row counts of one clean load of `archives`, per database. */
const clean: Partial<Record<DbKind, Record<string, number>>> = {};

const targets = () => targetsDroppedBy(cleanups);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-orphans-"));
  archives = await generateArchives({
    outDir: join(dir, "data"),
    files: 2,
    tweetsPerFile: 300,
    seed: 29,
  });
  slowSql = join(dir, "sql");
  await mkdir(slowSql);
  await writeFile(
    join(slowSql, "01_slow.sql"),
    "SELECT pg_sleep(60) FROM (SELECT count(*) FROM tweetload.journal) AS journal;\n",
  );
  const t = await targets();
  const dbs = ["denormalized", "normalized", "normalized_batch"] as const;
  await runLoad({
    files: archives,
    dbs,
    targets: t,
    jobs: 1,
    batchSize: 100,
    rejectsDir: join(dir, "rejects"),
  });
  for (const db of dbs) clean[db] = await counts(db, t[db]);
});

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** The backends in `url`'s database whose application_name is `name`. */
const backendsNamed = (url: string, name: string, where = "true") =>
  withClient(adminUrl(), async (c) => {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 AND (${where})`,
      [dbNameOf(url), name],
    );
    return rows.map((r) => r.pid);
  });

/** What a signal's exit looks like: killed by it, or the code tweetload exits with. */
function expectStoppedBy(
  done: { code: number | null; signal: NodeJS.Signals | null },
  signal: NodeJS.Signals,
) {
  if (signal === "SIGKILL") expect(done.signal).toBe("SIGKILL");
  else expect(done.code).toBe(signal === "SIGTERM" ? 143 : 130);
}

describe("regression: a killed check left its query running for minutes", () => {
  it.each(["SIGKILL", "SIGINT", "SIGTERM"] as const)(
    "check stopped by %s leaves no query on the server",
    async (signal) => {
      const t = await targets();
      const run = startCli(["check", "--sql-dir", slowSql, "--no-expected", ...urlFlags(t)]);
      for (const url of Object.values(t)) {
        await waitFor("the checker's query", async () => {
          return (await backendsNamed(url, "tweetload check", "state = 'active'")).length > 0;
        });
      }
      run.child.kill(signal);
      const done = await run.done;
      expectStoppedBy(done, signal);
      if (signal !== "SIGKILL") {
        expect(done.stderr).toMatch(
          new RegExp(`interrupted \\(${signal}\\): cancelling the checker's queries`),
        );
        expect(done.stdout).toBe("");
      }
      // The query sleeps for a minute: only a cancel, or the server noticing the closed
      // socket (client_connection_check_interval), ends it sooner.
      for (const url of Object.values(t)) {
        await waitFor(
          "the checker's backend to end",
          async () => {
            return (await backendsNamed(url, "tweetload check")).length === 0;
          },
          15,
        );
      }
    },
  );
});

/** The table a loader writes first, which the test locks so that the load waits for it. */
const FIRST_TABLE: Record<DbKind, string> = {
  denormalized: "tweets_jsonb",
  normalized: "tweets",
  normalized_batch: "tweets",
};

describe("regression: a killed load left its statements waiting on the server", () => {
  it.each([
    ["denormalized", 2, "SIGKILL"],
    ["normalized", 1, "SIGKILL"],
    ["normalized_batch", 2, "SIGTERM"],
    ["denormalized", 1, "SIGTERM"],
    ["normalized", 2, "SIGINT"],
  ] as const)(
    "a load into %s at -j %i stopped by %s while it waits for a lock: its backends end, the re-run equals a clean load",
    async (db, jobs, signal) => {
      const t = await targets();
      const url = t[db];
      const holder = await connectClient(url, { application_name: "orphans test lock" });
      try {
        await holder.query("BEGIN");
        await holder.query(`LOCK TABLE ${FIRST_TABLE[db]} IN SHARE MODE`);
        const args = ["load", "--db", db, "-j", String(jobs), "--json", "--batch-size", "100"];
        args.push("--rejects", join(dir, "rejects"), ...urlFlags({ [db]: url }), ...archives);
        const run = startCli(args);
        await waitFor("the load to wait for the lock", async () => {
          const waiting = await tweetloadBackends(adminUrl(), url, "wait_event_type = 'Lock'");
          return waiting.length > 0;
        });
        run.child.kill(signal);
        const done = await run.done;
        expectStoppedBy(done, signal);
        if (signal !== "SIGKILL") {
          // The summary is still printed, and says what is in the database: nothing.
          const summary = JSON.parse(done.stdout) as { files: { status: string }[] };
          expect(summary.files.map((f) => f.status)).toEqual(archives.map(() => "failed"));
          expect(done.stderr).toMatch(new RegExp(`interrupted \\(${signal}\\): rolling back`));
        }
        // The lock is still held: only a cancel, or the server noticing the closed socket,
        // ends the waiting statements (before, they waited for as long as the lock).
        await waitFor(
          "the load's backends to end",
          async () => {
            return (await tweetloadBackends(adminUrl(), url)).length === 0;
          },
          15,
        );
        await holder.query("COMMIT");
      } finally {
        await holder.end();
      }
      const left = await counts(db, url);
      expect(left["tweetload.journal"]).toBe(0);
      if (db !== "normalized") expect(left[FIRST_TABLE[db]]).toBe(0);
      const again = await startCli(
        ["load", "--db", db, "-j", String(jobs), "--batch-size", "100"].concat(
          "--rejects",
          join(dir, "rejects"),
          ...urlFlags({ [db]: url }),
          ...archives,
        ),
      ).done;
      expect(again.code).toBe(0);
      expect(await counts(db, url)).toEqual(clean[db]);
    },
  );
});

describe("regression: db reset waited silently behind another session's locks", () => {
  it("names the sessions it waits for, and --end-sessions-after ends them", async () => {
    const t = await targets();
    const url = t.normalized;
    const holder = new pg.Client({ connectionString: url, application_name: "orphans holder" });
    await holder.connect();
    holder.on("error", () => {});
    const { rows } = await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const pid = rows[0]?.pid as number;
    await holder.query("BEGIN");
    await holder.query("SELECT count(*) FROM tweets");
    try {
      const reset = ["db", "reset", "--yes", "--db", "normalized", `--normalized-url=${url}`];
      const waiting = startCli(reset);
      let stderr = "";
      waiting.child.stderr?.on("data", (d: Buffer) => {
        stderr += d.toString("utf8");
      });
      await waitFor("the reset to name the session", async () => stderr.includes("waits for"));
      expect(stderr).toMatch(
        new RegExp(
          `resetting pg_normalized waits for 1 session holding locks on its tables: pid ${pid} \\(orphans holder, user \\w+, idle in transaction for \\d+ s: SELECT count\\(\\*\\) FROM tweets\\); it goes on when they end: .*--end-sessions-after`,
        ),
      );
      // It waits until the session ends (here: it commits), then resets.
      await holder.query("COMMIT");
      expect((await waiting.done).code).toBe(0);

      await holder.query("BEGIN");
      await holder.query("SELECT count(*) FROM tweets");
      const ending = await startCli([...reset, "--end-sessions-after", "0"]).done;
      expect(ending.code).toBe(0);
      expect(ending.stderr).toMatch(
        new RegExp(`pg_normalized: ended pid ${pid} \\(orphans holder\\), whose locks`),
      );
      await expect(holder.query("SELECT 1")).rejects.toThrow();
      expect(await backendsNamed(url, "orphans holder")).toEqual([]);
    } finally {
      await holder.end().catch(() => {});
    }
    expect((await counts("normalized", url)).tweets).toBe(0);
  });

  it("refuses --end-sessions-after that is not a duration, before anything connects", async () => {
    const done = await startCli(["db", "reset", "--yes", "--end-sessions-after", "soon"]).done;
    expect(done.code).toBe(2);
    expect(done.stderr).toMatch(/--end-sessions-after must be a duration/);
  });
});
