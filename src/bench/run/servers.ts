import { runningEmbeddedTargets, tweetloadHome } from "../../db/embedded-state.js";
import {
  DB_KINDS,
  type DbKind,
  redactUrl,
  resolveTargets,
  type Targets,
  targetEnvName,
} from "../../db/targets.js";
import { UserError } from "../../errors.js";

/** Whether the user named any server: a flag, a TWEETLOAD_*_URL or a PG* variable. */
export function namesAServer(
  flags: Partial<Record<DbKind, string>>,
  env: NodeJS.ProcessEnv,
): boolean {
  const set = (v: string | undefined) => v !== undefined && v.trim() !== "";
  return (
    DB_KINDS.some((kind) => set(flags[kind]) || set(env[targetEnvName(kind)])) ||
    set(env.PGHOST) ||
    set(env.PGPORT) ||
    set(env.PGUSER)
  );
}

/**
 * The servers to benchmark. With nothing named, the embedded clusters
 * (brought up by `up` when they are not running). A named server that is not
 * an embedded cluster is wiped many times over, so it needs `yes`.
 */
export async function benchTargets(opts: {
  flags: Partial<Record<DbKind, string>>;
  env: NodeJS.ProcessEnv;
  yes: boolean;
  up: () => Promise<Targets>;
  log: (line: string) => void;
}): Promise<{ targets: Targets; provider: "embedded" | "external" }> {
  const home = tweetloadHome(opts.env);
  if (!namesAServer(opts.flags, opts.env)) {
    const running = await runningEmbeddedTargets(home);
    if (running) return { targets: running, provider: "embedded" };
    opts.log(`No database named: starting the embedded PostgreSQL clusters in ${home} …`);
    return { targets: await opts.up(), provider: "embedded" };
  }
  const targets = await resolveTargets(opts.flags, opts.env);
  const embedded = await runningEmbeddedTargets(home);
  const external = DB_KINDS.filter((kind) => targets[kind] !== embedded?.[kind]);
  if (external.length > 0 && !opts.yes) {
    const list = external.map((kind) => `${kind} (${redactUrl(targets[kind])})`).join(", ");
    throw new UserError(
      `the benchmark drops and re-creates every table of the databases it loads, many times; ${list} ` +
        "is not an embedded cluster of tweetload. Pass --yes if its data may go, or leave the URLs out to use the embedded clusters.",
      2,
    );
  }
  return { targets, provider: external.length > 0 ? "external" : "embedded" };
}
