import type { Argv, CommandModule } from "yargs";
import { DB_KINDS, type DbChoice, type DbKind, kindsOf } from "../../db/kinds.js";
import { targetFlagsOf } from "../../db/targets.js";
import { environment } from "../../env.js";
import { InputError, UserError } from "../../errors.js";
import type { FileIdentity } from "../../input/file-identity.js";
import { parseDuration } from "../../load/retry-budget.js";
import { DEFAULT_PROGRESS_EVERY_MS } from "../../report/progress-line.js";
import { trace } from "../../report/trace.js";
import { chunkLinesFor } from "../../run/chunk-plan.js";
import { CLI_DEFAULTS, checkLoadOptions, LOAD_DEFAULTS } from "../../run/load-options.js";
import type { WorkerPool } from "../../run/pool.js";
import type { LoadRunResult } from "../../run/run-load.js";
import { exitCodeOf, withInterrupts } from "../interrupts.js";
import { type TargetArgs, withTargetOptions } from "../target-options.js";

export interface LoadArgs extends TargetArgs {
  db: DbChoice | DbChoice[];
  jobs: number;
  batchSize: number;
  batch: boolean;
  json: boolean;
  rejects: string;
  maxRejects: string;
  force: boolean;
  replace: boolean;
  retries?: number;
  retryFor: string;
  maxLineBytes: number;
  progressEvery: string;
  chunkLines: number;
  refreshTimeout: string;
  paths: string[];
}

/** How buildCli passes a lone "-" (standard input) on; no path can hold a NUL. */
export const STDIN_ARG = "\u0000stdin";

/** The databases a `--db` value names (see kindsOf). */
export const dbsOf = (db: LoadArgs["db"]): DbKind[] => kindsOf(db);

export function loadBuilder<T>(yargs: Argv<T>) {
  return withTargetOptions(
    yargs
      .positional("paths", {
        type: "string",
        array: true,
        demandOption: true,
        describe:
          "archives (.zip; .tar, .tar.gz, .tgz, .tar.bz2; .jsonl, .ndjson, .json, each also .gz or .bz2), directories of them, or - for standard input (JSON lines or a tar, gzip, bzip2 or neither)",
      })
      .option("db", {
        choices: [...DB_KINDS, "all"] as const,
        demandOption: true,
        describe:
          "database to load into (all = the three, one after another; repeat the flag for two)",
      })
      .option("jobs", {
        alias: "j",
        type: "number",
        default: CLI_DEFAULTS.jobs(),
        defaultDescription: "number of cores",
        describe:
          "cores in use: worker threads loading at once, whatever the number of files (with fewer files than jobs, files are cut into chunks of --chunk-lines lines, loaded in parallel); 1 = sequential, file by file, no worker threads",
      })
      .option("batch", {
        type: "boolean",
        default: false,
        describe: "normalized: load in batches, deadlock-free, into the constrained schema",
      })
      .option("batch-size", {
        type: "number",
        default: LOAD_DEFAULTS.batchSize,
        describe:
          "tweets per COPY batch (normalized_batch: batches inside the file's transaction; --batch: one transaction each)",
      })
      .option("json", {
        type: "boolean",
        default: false,
        describe: "print only the summary as JSON on stdout",
      })
      .option("rejects", {
        type: "string",
        default: CLI_DEFAULTS.rejectsDir,
        describe:
          "directory for reject files (<file>.<path hash>.<db>.rejects.jsonl: file, path, member, lineNo, text = the raw line, error), written and synced before the file commits",
      })
      .option("max-rejects", {
        type: "string",
        default: LOAD_DEFAULTS.maxRejects,
        describe:
          "rejected lines a file may have, a count (100) or a share of its lines (1%; a share never fails a file for 10 or fewer); past it the file fails, unjournaled (partial where tweets commit as they go, or in chunks). Stream notices are not rejects. The default 1%: real archives have a cut last line or a stray log line at most, whatever their size, while a file of another format rejects nearly every line. A count stops a file at the line that passes it; a share is judged on the whole file's counts, so every database (and every --jobs) gives a file the same verdict",
      })
      .option("force", {
        type: "boolean",
        default: false,
        describe:
          "load files again that the database's journal lists as loaded (denormalized and normalized_batch then hold their rows twice)",
      })
      .option("replace", {
        type: "boolean",
        default: false,
        describe:
          "remove what the earlier load of each file (by its path) put in, then load the file: for a file changed in place since it was loaded, which is otherwise refused",
      })
      .option("retry-for", {
        type: "string",
        default: `${LOAD_DEFAULTS.retryForMs / 1000}s`,
        describe:
          "how long a file is tried again after a lost connection, a server restart, a deadlock or a serialization failure (e.g. 30s, 5m; 0 = never): waits 0.25 s doubling to 8 s, each logged",
      })
      .option("max-line-bytes", {
        type: "number",
        default: LOAD_DEFAULTS.maxLineBytes,
        describe:
          "longest line (or JSON array element) read; a longer one is rejected, its first 1 KB kept in the reject file. The default, 16 MiB, is about 3,000 times a tweet and 5 times the largest API v2 page, and keeps memory bounded whatever the input",
      })
      .option("progress-every", {
        type: "string",
        default: `${DEFAULT_PROGRESS_EVERY_MS / 1000}s`,
        describe:
          "when stderr is not a terminal (a CI log, a file), a line this often with the files done, tweets and tweets/s (e.g. 10s, 1m; 0 = never); a terminal shows live bars instead",
      })
      .option("chunk-lines", {
        type: "number",
        default: LOAD_DEFAULTS.chunkLines,
        describe:
          "lines per chunk of a file when there are fewer files than --jobs: each chunk is one transaction with its journal row, so a re-run after a crash loads only the chunks not committed (it reuses the chunk size stored with them); 0 = load each file whole. A .json file (or zip member) that may hold one JSON array always loads whole. A tar loads by member at any --jobs (a member over 8 MB stored in chunks of these lines) unless this is 0",
      })
      .option("refresh-timeout", {
        type: "string",
        default: `${LOAD_DEFAULTS.refreshTimeoutMs / 60_000}m`,
        describe:
          "how long refreshing a database's tag views after the load may take (e.g. 30s, 10m; 0 = no limit); past it the rows stay in, the views keep what they showed before, the summary says so, the exit code is 3, and `tweetload db refresh` refreshes them",
      })
      .option("retries", {
        type: "number",
        deprecated: "use --retry-for, a time budget; --retries N still caps the tries at N more",
        describe: "at most this many more tries of a file (deprecated)",
      })
      // Checked while parsing, so a bad number is a usage error with the pointer to --help.
      .check((argv) => {
        checkLoadArgs(argv as unknown as LoadArgs);
        return true;
      }),
  );
}

/** The milliseconds of `--retry-for`; a value that is not a duration is a UserError (exit 2). */
export function retryForMs(text: string): number {
  return durationMs("--retry-for", text);
}

/** The milliseconds of a duration flag; a value that is not a duration is a UserError (exit 2). */
function durationMs(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new UserError(
      `${flag} must be a duration such as 60s, 90 (seconds), 2m or 500ms, not ${JSON.stringify(text)}`,
      2,
    );
  }
  return ms;
}

/**
 * Checks the flags: the durations here (only the command line writes them as text), every
 * number by the library's own check (checkLoadOptions), so both refuse a value alike.
 */
export function checkLoadArgs(
  argv: Pick<LoadArgs, "jobs" | "batchSize"> &
    Partial<
      Pick<LoadArgs, "retries" | "retryFor" | "maxLineBytes" | "progressEvery" | "refreshTimeout">
    > & {
      maxRejects?: string | number;
      chunkLines?: number;
    },
): void {
  if (argv.retryFor !== undefined) retryForMs(argv.retryFor);
  if (argv.progressEvery !== undefined) durationMs("--progress-every", argv.progressEvery);
  if (argv.refreshTimeout !== undefined) durationMs("--refresh-timeout", argv.refreshTimeout);
  const { jobs, batchSize, maxLineBytes, chunkLines, retries, maxRejects } = argv;
  checkLoadOptions({ jobs, batchSize, maxLineBytes, chunkLines, retries, maxRejects });
}

const importLoaderModules = () =>
  Promise.all([import("../../report/progress.js"), import("../../api/load.js")]);
let loaderModules: ReturnType<typeof importLoaderModules> | undefined;

export async function loadHandler(argv: LoadArgs): Promise<void> {
  trace("arguments parsed");
  checkLoadArgs(argv);
  if (argv.retries !== undefined) {
    process.stderr.write(
      `tweetload: --retries is deprecated: use --retry-for (a time budget, default ${LOAD_DEFAULTS.retryForMs / 1000}s); --retries ${argv.retries} still caps the tries of a file at ${argv.retries} more\n`,
    );
  }
  // Imported here, not at the top: every command module is imported for every command.
  // The loader's modules are asked for now, so that reading them overlaps the listing.
  loaderModules ??= importLoaderModules();
  const [{ listArchives }, { spoolStreams }] = await Promise.all([
    import("../../input/list-archives.js"),
    import("../../input/spool-stdin.js"),
  ]);
  const asUserError = (error: unknown) => {
    if (error instanceof InputError) throw new UserError(error.message, 2, { cause: error });
    throw error;
  };
  const paths = argv.paths.map((path) => (path === STDIN_ARG ? "-" : path));
  const listed = await listArchives(paths).catch(asUserError);
  for (const { path, reason } of listed.skipped) {
    process.stderr.write(`tweetload: passed over ${path}: ${reason}\n`);
  }
  const spooled = await spoolStreams(listed.files).catch(asUserError);
  trace(`${listed.files.length} files listed`);
  try {
    await loadFiles(argv, spooled.files, spooled.identities);
  } finally {
    await spooled.cleanup();
  }
}

/** Loads the listed files (streams already copied to files) and prints the summary. */
async function loadFiles(
  argv: LoadArgs,
  files: string[],
  identities: ReadonlyMap<string, FileIdentity>,
): Promise<void> {
  const { poolSize, startWorkerPool } = await import("../../run/pool.js");
  const dbs = dbsOf(argv.db);
  // The workers start first and load their modules while this thread loads its own and
  // checks the databases: that way a parallel load starts some 0.1 s sooner.
  const chunked = chunkLinesFor(argv.jobs, files.length, argv.chunkLines) !== undefined;
  const jobs = poolSize(argv.jobs, files.length * dbs.length, chunked);
  const pool =
    jobs > 1
      ? startWorkerPool(jobs, argv.batchSize, { maxLineBytes: argv.maxLineBytes })
      : undefined;
  trace(pool ? `${jobs} workers starting` : "no workers (sequential)");
  let result: LoadRunResult;
  let stopped: number | undefined;
  try {
    ({ result, exitCode: stopped } = await loadWith(argv, files, identities, dbs, pool));
  } finally {
    await pool?.destroy();
  }
  const summary = await import("../../report/summary.js");
  if (argv.json) {
    process.stdout.write(
      `${JSON.stringify(summary.summaryJson(result, summary.currentResources()), null, 2)}\n`,
    );
  } else {
    process.stdout.write(`${summary.renderSummaryTable(result)}\n`);
  }
  trace("summary printed");
  if (result.interrupted) process.exitCode = stopped ?? 130;
  else if (result.totals.failed + result.totals.partial > 0) process.exitCode = 1;
  else if (result.staleViews) process.exitCode = 3;
}

/** The load itself, on `pool` when there is one: progress, Ctrl-C, then the summary. */
async function loadWith(
  argv: LoadArgs,
  files: string[],
  identities: ReadonlyMap<string, FileIdentity>,
  dbs: DbKind[],
  pool: WorkerPool | undefined,
): Promise<{ result: LoadRunResult; exitCode: number | undefined }> {
  loaderModules ??= importLoaderModules();
  const [{ progressDisplay }, { load }] = await loaderModules;
  trace("loader modules imported");
  const display = progressDisplay(
    process.stderr,
    files.length * dbs.length,
    false,
    durationMs("--progress-every", argv.progressEvery),
  );
  // Ctrl-C or SIGTERM: stop the workers, cancel the statements they were running and close
  // the connections, so the files in flight roll back; then report what was and was not
  // loaded (exit code 130, or 143 for SIGTERM). A second signal quits at once.
  try {
    return await withInterrupts("rolling back the files in flight", async (signal) => {
      // The library's load: only the databases this load writes need a URL.
      const result = await load({
        files,
        identities,
        dbs,
        targets: targetFlagsOf(argv),
        env: environment(argv.home),
        jobs: argv.jobs,
        batchSize: argv.batchSize,
        batched: argv.batch,
        rejectsDir: argv.rejects,
        maxRejects: argv.maxRejects,
        force: argv.force,
        replace: argv.replace,
        ...(argv.retries === undefined ? {} : { retries: argv.retries }),
        retryForMs: retryForMs(argv.retryFor),
        maxLineBytes: argv.maxLineBytes,
        chunkLines: argv.chunkLines,
        refreshTimeoutMs: durationMs("--refresh-timeout", argv.refreshTimeout),
        signal,
        listener: display.listener,
        ...(pool ? { pool } : {}),
      });
      return { result, exitCode: exitCodeOf(signal) };
    });
  } finally {
    display.stop();
  }
}

/** `tweetload load`: see the README's "Commands" and docs/contract/input.md. */
export const loadCommand: CommandModule<object, LoadArgs> = {
  command: "load <paths..>",
  describe: "Load tweet archives into one or all of the databases",
  builder: (yargs) => loadBuilder(yargs) as unknown as Argv<LoadArgs>,
  handler: loadHandler,
};
