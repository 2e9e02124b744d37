import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Env, environment } from "../env.js";
import { chooseHome } from "./home.js";
import { DB_KINDS, type DbKind, databaseName, type Targets } from "./kinds.js";

/** What `db up` remembers about the embedded clusters, in `<home>/embedded.json`. */
export interface EmbeddedState {
  version: 1;
  /** Superuser of all three clusters. */
  user: string;
  /** Generated once per home; the clusters listen on 127.0.0.1 only. */
  password: string;
  clusters: Record<DbKind, { port: number; dataDir: string; ready?: boolean }>;
}

/**
 * The folder holding the embedded clusters: `--home` / `TWEETLOAD_HOME`, else `.tweetload/`
 * in a clone, else the user's data directory (see chooseHome).
 */
export function tweetloadHome(env: Env = environment(), override?: string): string {
  return chooseHome(env, override).home;
}

export const stateFile = (home: string) => join(home, "embedded.json");

export async function readEmbeddedState(home: string): Promise<EmbeddedState | undefined> {
  let text: string;
  try {
    text = await readFile(stateFile(home), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const state = JSON.parse(text) as EmbeddedState;
  return state.version === 1 ? state : undefined;
}

/** The pid of the postmaster serving `dataDir`, if one is alive. */
export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, "postmaster.pid"), "utf8");
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.split("\n", 1)[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user (the postgres account).
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !isZombie(pid);
}

/** A process that has exited but not yet been reaped (Linux only; elsewhere false). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The state follows the parenthesised command name, which may itself contain ")".
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

export function embeddedUrl(state: EmbeddedState, kind: DbKind): string {
  const { port } = state.clusters[kind];
  const auth = `${encodeURIComponent(state.user)}:${encodeURIComponent(state.password)}`;
  return `postgres://${auth}@127.0.0.1:${port}/${databaseName(kind)}`;
}

export function embeddedTargets(state: EmbeddedState): Targets {
  return Object.fromEntries(DB_KINDS.map((kind) => [kind, embeddedUrl(state, kind)])) as Targets;
}

/** The embedded clusters' URLs when all three are running, else undefined. */
export async function runningEmbeddedTargets(home: string): Promise<Targets | undefined> {
  const state = await readEmbeddedState(home);
  if (!state) return undefined;
  for (const kind of DB_KINDS) {
    if ((await postmasterPid(state.clusters[kind].dataDir)) === undefined) return undefined;
  }
  return embeddedTargets(state);
}
