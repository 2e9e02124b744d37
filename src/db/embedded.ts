import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, chmod, chown, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import getPort from "get-port";
import { UserError } from "../errors.js";
import { withClient } from "./client.js";
import { postgresBinaries } from "./embedded-binaries.js";
import {
  type EmbeddedState,
  embeddedTargets,
  embeddedUrl,
  isAlive,
  postmasterPid,
  readEmbeddedState,
  stateFile,
  tweetloadHome,
} from "./embedded-state.js";
import { withHomeLock } from "./home-lock.js";
import { DB_KINDS, type DbKind, databaseName, type Targets } from "./kinds.js";
import { accountCanUse, postgresAccount, type RunAs, runProgram } from "./os-account.js";
import { applySchema } from "./schema.js";

/** Where the clusters live and how to report progress. */
export interface EmbeddedOptions {
  /** Overrides TWEETLOAD_HOME / `.tweetload/` of the project. */
  home?: string;
  env?: NodeJS.ProcessEnv;
  /** Progress lines for a person (default: none). */
  log?: (line: string) => void;
}

/** The ports tried first, one per database; any free port is used when one is taken. */
export const DEFAULT_PORTS: Record<DbKind, number> = {
  denormalized: 54331,
  normalized: 54332,
  normalized_batch: 54333,
};

/** The state of one embedded cluster as `db status` shows it. */
export interface EmbeddedClusterStatus {
  kind: DbKind;
  dataDir: string;
  port: number;
  pid?: number;
  url: string;
}

const clustersDir = (home: string) => join(home, "clusters");
const logFile = (home: string, kind: DbKind) =>
  join(clustersDir(home), `${databaseName(kind)}.log`);

/**
 * Starts the three embedded clusters (creating them and their schemas the
 * first time) and returns their URLs. Clusters already running are reused.
 * They keep running after this process ends, until `embeddedDown`. A SIGINT
 * or SIGTERM meanwhile stops the clusters this call started, then ends the
 * process.
 */
export async function embeddedUp(opts: EmbeddedOptions = {}): Promise<Targets> {
  const home = tweetloadHome(opts.env, opts.home);
  const log = opts.log ?? (() => {});
  await mkdir(clustersDir(home), { recursive: true });
  const runAs = await postgresAccount();
  return withHomeLock(home, async () => {
    const state = await loadOrCreateState(home);
    const started: DbKind[] = [];
    const abort = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      log(`${signal}: stopping the clusters this command started`);
      abort.abort(new UserError(`interrupted by ${signal}`, signal === "SIGINT" ? 130 : 143));
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      await prepareClustersDir(home, runAs);
      for (const kind of DB_KINDS) {
        throwIfAborted(abort.signal);
        if (await upOne(home, state, kind, runAs, abort.signal, log)) started.push(kind);
      }
      throwIfAborted(abort.signal);
      return embeddedTargets(state);
    } catch (error) {
      for (const kind of [...DB_KINDS].reverse()) {
        if (started.includes(kind) || abort.signal.aborted) {
          await stopCluster(state.clusters[kind].dataDir, runAs).catch(() => {});
        }
      }
      throw abort.signal.aborted ? abort.signal.reason : error;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  });
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}

/** Stops the embedded clusters of the home; returns the databases that were running. */
export async function embeddedDown(opts: EmbeddedOptions = {}): Promise<DbKind[]> {
  const home = tweetloadHome(opts.env, opts.home);
  const state = await readEmbeddedState(home);
  if (!state) return [];
  const runAs = await postgresAccount();
  return withHomeLock(home, async () => {
    const stopped: DbKind[] = [];
    for (const kind of DB_KINDS) {
      if (await stopCluster(state.clusters[kind].dataDir, runAs)) stopped.push(kind);
    }
    return stopped;
  });
}

/** Removes the clusters and their data; they must be stopped (`embeddedDown`) first. */
export async function embeddedPurge(opts: EmbeddedOptions = {}): Promise<void> {
  const home = tweetloadHome(opts.env, opts.home);
  await withHomeLock(home, async () => {
    const state = await readEmbeddedState(home);
    for (const kind of DB_KINDS) {
      if (state && (await postmasterPid(state.clusters[kind].dataDir)) !== undefined) {
        throw new UserError("the embedded clusters are running: run `tweetload db down` first.");
      }
    }
    await rm(clustersDir(home), { recursive: true, force: true });
    await rm(stateFile(home), { force: true });
  });
}

/** Each cluster's folder, port, pid (when running) and URL; undefined before the first `db up`. */
export async function embeddedStatus(
  opts: EmbeddedOptions = {},
): Promise<EmbeddedClusterStatus[] | undefined> {
  const home = tweetloadHome(opts.env, opts.home);
  const state = await readEmbeddedState(home);
  if (!state) return undefined;
  return Promise.all(
    DB_KINDS.map(async (kind) => ({
      kind,
      dataDir: state.clusters[kind].dataDir,
      port: state.clusters[kind].port,
      pid: await postmasterPid(state.clusters[kind].dataDir),
      url: embeddedUrl(state, kind),
    })),
  );
}

async function loadOrCreateState(home: string): Promise<EmbeddedState> {
  const existing = await readEmbeddedState(home);
  if (existing) return existing;
  const state: EmbeddedState = {
    version: 1,
    user: "postgres",
    password: randomBytes(18).toString("base64url"),
    clusters: Object.fromEntries(
      DB_KINDS.map((kind) => [
        kind,
        { port: DEFAULT_PORTS[kind], dataDir: join(clustersDir(home), databaseName(kind)) },
      ]),
    ) as EmbeddedState["clusters"],
  };
  await saveState(home, state);
  return state;
}

async function saveState(home: string, state: EmbeddedState): Promise<void> {
  // The file holds the clusters' password: readable by its owner only.
  await writeFile(stateFile(home), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

async function prepareClustersDir(home: string, runAs: RunAs): Promise<void> {
  const dir = clustersDir(home);
  if ("uid" in runAs) {
    await chown(dir, runAs.uid, runAs.gid);
    await chmod(dir, 0o700);
  }
  if (!(await accountCanUse(runAs, dir))) {
    throw new UserError(
      `the postgres account cannot reach ${dir}: make its parent folders searchable ` +
        "(chmod o+x) or set TWEETLOAD_HOME to a folder it can reach.",
    );
  }
}

/** Brings one cluster up; true when this call started it (false: it was already running). */
async function upOne(
  home: string,
  state: EmbeddedState,
  kind: DbKind,
  runAs: RunAs,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<boolean> {
  const cluster = state.clusters[kind];
  const running = await postmasterPid(cluster.dataDir);
  if (running !== undefined) {
    log(`${databaseName(kind)}: running (pid ${running}, port ${cluster.port})`);
    await ensureDatabase(state, kind);
    return false;
  }
  const bin = await postgresBinaries();
  if (!cluster.ready || !(await exists(join(cluster.dataDir, "PG_VERSION")))) {
    // A folder without the ready mark is from an interrupted first `db up`: start over.
    cluster.ready = false;
    await rm(cluster.dataDir, { recursive: true, force: true });
    log(`${databaseName(kind)}: creating the cluster in ${cluster.dataDir}`);
    await initCluster(bin.initdb, home, state, kind, runAs, signal);
  }
  const port = await getPort({ port: [cluster.port, DEFAULT_PORTS[kind]] });
  if (port !== cluster.port)
    log(`${databaseName(kind)}: port ${cluster.port} is taken, using ${port}`);
  cluster.port = port;
  await saveState(home, state);
  const result = await runProgram(
    bin.pg_ctl,
    [
      "start",
      "-D",
      cluster.dataDir,
      "-l",
      logFile(home, kind),
      "-o",
      `-p ${port}`,
      "-w",
      "-t",
      "120",
    ],
    runAs,
    { detached: true },
  );
  if (result.code !== 0) {
    throw new Error(
      `${databaseName(kind)} did not start (see ${logFile(home, kind)}): ${result.output.trim()}`,
    );
  }
  log(`${databaseName(kind)}: started on port ${port}`);
  throwIfAborted(signal);
  if (!cluster.ready) {
    await ensureDatabase(state, kind);
    cluster.ready = true;
    await saveState(home, state);
  }
  return true;
}

async function initCluster(
  initdb: string,
  home: string,
  state: EmbeddedState,
  kind: DbKind,
  runAs: RunAs,
  signal: AbortSignal,
): Promise<void> {
  const { dataDir } = state.clusters[kind];
  const pwfile = join(clustersDir(home), `.${databaseName(kind)}.pw`);
  await writeFile(pwfile, `${state.password}\n`, { mode: 0o600 });
  if ("uid" in runAs) await chown(pwfile, runAs.uid, runAs.gid);
  try {
    const result = await runProgram(
      initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${state.user}`,
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        `--locale=${bestLocale()}`,
      ],
      runAs,
      { signal },
    );
    if (result.code !== 0) throw new Error(`initdb failed for ${dataDir}: ${result.output.trim()}`);
  } finally {
    await rm(pwfile, { force: true });
  }
  // Durable defaults for real use (fsync stays on); reachable from this machine only.
  await appendFile(
    join(dataDir, "postgresql.conf"),
    [
      "",
      "# tweetload embedded cluster",
      "listen_addresses = '127.0.0.1'",
      "unix_socket_directories = ''",
      "max_connections = 200",
      "max_wal_size = '2GB'",
      "",
    ].join("\n"),
  );
}

/**
 * Creates `pg_<kind>` if the cluster does not have it yet, and applies its schema: the file
 * is idempotent, and applying it to a database made by an older tweetload upgrades it (the
 * journal's paths, the load_id columns).
 */
async function ensureDatabase(state: EmbeddedState, kind: DbKind): Promise<void> {
  const url = new URL(embeddedUrl(state, kind));
  const name = databaseName(kind);
  url.pathname = "/postgres";
  await withClient(url.toString(), async (admin) => {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  });
  await withClient(embeddedUrl(state, kind), (client) => applySchema(client, kind));
}

/** Stops the postmaster of `dataDir` if it runs; true when it was running. */
async function stopCluster(dataDir: string, runAs: RunAs): Promise<boolean> {
  const pid = await postmasterPid(dataDir);
  if (pid === undefined) return false;
  const bin = await postgresBinaries();
  const result = await runProgram(
    bin.pg_ctl,
    ["stop", "-D", dataDir, "-m", "fast", "-w", "-t", "60"],
    runAs,
    {
      detached: true,
    },
  );
  if (result.code === 0) return true;
  if (isAlive(pid)) {
    // Fast shutdown did not finish: end it without waiting for clients.
    process.kill(pid, "SIGQUIT");
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (isAlive(pid)) throw new Error(`the postgres server of ${dataDir} (pid ${pid}) did not stop.`);
  return true;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** A UTF-8 locale whose collation is byte order, as on the compose images' C.UTF-8; else C. */
function bestLocale(): string {
  try {
    const locales = execFileSync("locale", ["-a"], { encoding: "utf8" }).split("\n");
    const utf8 = locales.find((name) => /^c\.utf-?8$/i.test(name.trim()));
    return utf8?.trim() ?? "C";
  } catch {
    return "C";
  }
}
