import { availableParallelism } from "node:os";
import type { Argv, CommandModule } from "yargs";
import { DB_KINDS, type DbChoice, type DbKind, kindsOf } from "../../db/kinds.js";
import { resolveTargetsOf, targetFlagsOf } from "../../db/targets.js";
import type { WorkerPool } from "../../run/pool.js";
import { parseRejectLimit } from "../../run/reject-limit.js";
import type { LoadRunResult } from "../../run/run-load.js";
import { DEFAULT_BATCH_SIZE, DEFAULT_MAX_REJECTS, DEFAULT_RETRIES } from "../../run/types.js";
import { UserError } from "../report-fatal.js";
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
  retries: number;
  paths: string[];
}

/** Where reject files go unless --rejects says otherwise (git-ignored in the project). */
export const DEFAULT_REJECTS_DIR = "rejects";

/** The databases a `--db` value names (see kindsOf). */
export const dbsOf = (db: LoadArgs["db"]): DbKind[] => kindsOf(db);

/** Default worker count: one per core (measured: see the README's load figures). */
export const defaultJobs = (): number => availableParallelism();

export function loadBuilder<T>(yargs: Argv<T>) {
  return withTargetOptions(
    yargs
      .positional("paths", {
        type: "string",
        array: true,
        demandOption: true,
        describe: "archives (.zip, .jsonl, .json, .jsonl.gz) or directories of them",
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
        default: defaultJobs(),
        defaultDescription: "number of cores",
        describe: "files loaded at once (1 = sequential, no worker threads)",
      })
      .option("batch", {
        type: "boolean",
        default: false,
        describe: "normalized: load in batches, deadlock-free, into the constrained schema",
      })
      .option("batch-size", {
        type: "number",
        default: DEFAULT_BATCH_SIZE,
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
        default: DEFAULT_REJECTS_DIR,
        describe:
          "directory for reject files (<file>.<db>.rejects.jsonl: file, member, lineNo, text = the raw line, error), written when a file has lines that are not tweets",
      })
      .option("max-rejects", {
        type: "string",
        default: DEFAULT_MAX_REJECTS,
        describe:
          "rejected lines a file may have, a count (100) or a share of its lines (1%; a share never fails a file for 10 or fewer); past it the file fails (or stays partial where tweets commit as they go). Stream notices are not rejects. The default 1%: real archives have a cut last line or a stray log line at most, whatever their size, while a file of another format rejects nearly every line and fails within its first 1,000",
      })
      .option("force", {
        type: "boolean",
        default: false,
        describe:
          "load files again that the database's journal lists as loaded (denormalized and normalized_batch then hold their rows twice)",
      })
      .option("retries", {
        type: "number",
        default: DEFAULT_RETRIES,
        describe:
          "tries again of a file after a lost connection, a server restart, a deadlock or a serialization failure (with backoff, ~15 s in all at the default)",
      }),
  );
}

/** Checks the numeric flags; a bad value is a UserError (exit 2) naming the flag. */
export function checkLoadArgs(
  argv: Pick<LoadArgs, "jobs" | "batchSize"> &
    Partial<Pick<LoadArgs, "retries">> & { maxRejects?: string | number },
): void {
  for (const [flag, value] of [
    ["--jobs", argv.jobs],
    ["--batch-size", argv.batchSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new UserError(`${flag} must be a whole number of at least 1, not ${value}`, 2);
    }
  }
  const { retries } = argv;
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) {
    throw new UserError(`--retries must be a whole number of at least 0, not ${retries}`, 2);
  }
  if (argv.maxRejects !== undefined) {
    try {
      parseRejectLimit(argv.maxRejects);
    } catch (error) {
      throw new UserError((error as Error).message, 2, { cause: error });
    }
  }
}

export async function loadHandler(argv: LoadArgs): Promise<void> {
  checkLoadArgs(argv);
  // Imported here, not at the top: every command module is imported for every command.
  const [{ InputError }, { listArchives }, { poolSize, startWorkerPool }] = await Promise.all([
    import("../../input/input-error.js"),
    import("../../input/list-archives.js"),
    import("../../run/pool.js"),
  ]);
  const files = await listArchives(argv.paths).catch((error: unknown) => {
    if (error instanceof InputError) throw new UserError(error.message, 2, { cause: error });
    throw error;
  });
  const dbs = dbsOf(argv.db);
  // The workers start first and load their modules while this thread loads its own and
  // checks the databases: that way a parallel load starts some 0.1 s sooner.
  const jobs = poolSize(argv.jobs, files.length * dbs.length);
  const pool = jobs > 1 ? startWorkerPool(jobs, argv.batchSize) : undefined;
  let result: LoadRunResult;
  try {
    result = await loadWith(argv, files, dbs, pool);
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
  if (result.interrupted) process.exitCode = 130;
  else if (result.totals.failed + result.totals.partial > 0) process.exitCode = 1;
}

/** The load itself, on `pool` when there is one: progress, Ctrl-C, then the summary. */
async function loadWith(
  argv: LoadArgs,
  files: string[],
  dbs: DbKind[],
  pool: WorkerPool | undefined,
): Promise<LoadRunResult> {
  const [{ progressDisplay }, { runLoad }] = await Promise.all([
    import("../../report/progress.js"),
    import("../../run/run-load.js"),
  ]);
  // Only the databases this load writes: `--db denormalized` needs no other URL.
  const targets = await resolveTargetsOf(dbs, targetFlagsOf(argv));
  // Ctrl-C: stop the workers and close the connections, so the files in flight roll back;
  // then report what was and was not loaded. A second Ctrl-C quits at once.
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write(
      "\ntweetload: interrupted: rolling back the files in flight (Ctrl-C again to quit now)\n",
    );
    abort.abort();
  };
  process.on("SIGINT", onSigint);
  const display = progressDisplay(process.stderr, files.length * dbs.length);
  try {
    return await runLoad({
      files,
      dbs,
      targets,
      jobs: argv.jobs,
      batchSize: argv.batchSize,
      batched: argv.batch,
      rejectsDir: argv.rejects,
      maxRejects: argv.maxRejects,
      force: argv.force,
      retries: argv.retries,
      signal: abort.signal,
      listener: display.listener,
      ...(pool ? { pool } : {}),
    });
  } finally {
    display.stop();
    process.off("SIGINT", onSigint);
  }
}

/** `tweetload load`: see the README's load section. */
export const loadCommand: CommandModule<object, LoadArgs> = {
  command: "load <paths..>",
  describe: "Load tweet archives into one or all of the databases",
  builder: (yargs) => loadBuilder(yargs) as unknown as Argv<LoadArgs>,
  handler: loadHandler,
};
