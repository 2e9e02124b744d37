import { DB_KINDS, type DbKind, type Targets } from "../db/kinds.js";
import { optionOf, resolveTargetsOf } from "../db/targets.js";
import { listArchives } from "../input/list-archives.js";
import { loadersFor } from "../load/registry.js";
import { checkLoadOptions, LOAD_DEFAULTS } from "../run/load-options.js";
import { type LoadRunOptions, type LoadRunResult, runLoad } from "../run/run-load.js";

/**
 * What `load` takes: the runner's options, with files that may be folders, databases and
 * URLs that default as on the command line, and the rest optional.
 */
export interface LoadOptions
  extends Omit<LoadRunOptions, "files" | "dbs" | "targets" | "jobs" | "batchSize" | "loaders"> {
  /** Archives (.zip, .tar, .jsonl, .json, each compressed or not) or folders of them. */
  files: readonly string[];
  /** The databases to load into; default all three. */
  dbs?: readonly DbKind[];
  /**
   * URLs by database; a database not named here comes from TWEETLOAD_<DB>_URL, the PG*
   * variables, or the running embedded clusters, as for `tweetload load`.
   */
  targets?: Partial<Targets>;
  /** Files loaded at once; default 1 (this thread, no workers). */
  jobs?: LoadRunOptions["jobs"];
  /** Tweets per COPY batch; default LOAD_DEFAULTS.batchSize (measured). */
  batchSize?: LoadRunOptions["batchSize"];
  /**
   * Load pg_normalized in staged batches (`load --batch`) instead of tweet by tweet; the
   * other databases load as they always do.
   */
  batched?: boolean;
  /** Where the defaults of `targets` are read; default environment() (env.ts). */
  env?: NodeJS.ProcessEnv;
}

/**
 * Loads tweet archives into the databases and reports every file as the database holds
 * it. A file that fails is in the result, not thrown; a database that cannot be used, or a
 * path that does not exist, throws an error whose message names it and says what to do; an
 * option out of range throws the UserError `tweetload load` gives for its flag.
 */
export async function load(options: LoadOptions): Promise<LoadRunResult> {
  checkLoadOptions(options);
  const { files: paths, dbs = DB_KINDS, targets = {}, env, batched, ...rest } = options;
  // Names a folder holds that are not archives are passed over here; the CLI lists first and says which.
  const { files } = await listArchives(paths);
  const urls = await resolveTargetsOf(dbs, targets, env, optionOf);
  const loaders = loadersFor(batched);
  return runLoad({
    jobs: LOAD_DEFAULTS.jobs,
    batchSize: LOAD_DEFAULTS.batchSize,
    ...rest,
    files,
    dbs,
    targets: urls,
    loaders,
  });
}
