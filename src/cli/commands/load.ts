import { mkdir } from "node:fs/promises";
import { availableParallelism } from "node:os";
import type { Argv, CommandModule } from "yargs";
import { DB_KINDS, type DbKind } from "../../db/kinds.js";
import { InputError } from "../../input/input-error.js";
import { listArchives } from "../../input/list-archives.js";
import { DEFAULT_BATCH_SIZE } from "../../load/normalized-batch/normalized-batch-loader.js";
import { progressDisplay } from "../../report/progress.js";
import { currentResources, renderSummaryTable, summaryJson } from "../../report/summary.js";
import { runLoad } from "../../run/run-load.js";
import { UserError } from "../report-fatal.js";
import { type TargetArgs, targetsFromArgv, withTargetOptions } from "../target-options.js";

export interface LoadArgs extends TargetArgs {
  db: DbKind | "all";
  jobs: number;
  batchSize: number;
  batch: boolean;
  json: boolean;
  rejects?: string;
  paths: string[];
}

/** The databases a `--db` value names. */
export const dbsOf = (db: LoadArgs["db"]): DbKind[] => (db === "all" ? [...DB_KINDS] : [db]);

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
        describe: "database to load into (all = the three, one after another)",
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
        describe: "tweets per transaction of the batch loaders (normalized_batch, --batch)",
      })
      .option("json", {
        type: "boolean",
        default: false,
        describe: "print only the summary as JSON on stdout",
      })
      .option("rejects", {
        type: "string",
        describe: "directory for reject files of lines that are not tweets",
      }),
  );
}

/** Checks the numeric flags; a bad value is a UserError (exit 2) naming the flag. */
export function checkLoadArgs(argv: Pick<LoadArgs, "jobs" | "batchSize">): void {
  for (const [flag, value] of [
    ["--jobs", argv.jobs],
    ["--batch-size", argv.batchSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new UserError(`${flag} must be a whole number of at least 1, not ${value}`, 2);
    }
  }
}

export async function loadHandler(argv: LoadArgs): Promise<void> {
  checkLoadArgs(argv);
  const files = await listArchives(argv.paths).catch((error: unknown) => {
    if (error instanceof InputError) throw new UserError(error.message, 2, { cause: error });
    throw error;
  });
  const dbs = dbsOf(argv.db);
  const targets = await targetsFromArgv(argv);
  if (argv.rejects) await mkdir(argv.rejects, { recursive: true });
  const display = progressDisplay(process.stderr, files.length * dbs.length);
  let result: Awaited<ReturnType<typeof runLoad>>;
  try {
    result = await runLoad({
      files,
      dbs,
      targets,
      jobs: argv.jobs,
      batchSize: argv.batchSize,
      batched: argv.batch,
      ...(argv.rejects === undefined ? {} : { rejectsDir: argv.rejects }),
      listener: display.listener,
    });
  } finally {
    display.stop();
  }
  if (argv.json) {
    process.stdout.write(`${JSON.stringify(summaryJson(result, currentResources()), null, 2)}\n`);
  } else {
    process.stdout.write(`${renderSummaryTable(result)}\n`);
  }
  if (result.totals.failed > 0) process.exitCode = 1;
}

/** `tweetload load`: see the README's load section. */
export const loadCommand: CommandModule<object, LoadArgs> = {
  command: "load <paths..>",
  describe: "Load tweet archives into one or all of the databases",
  builder: (yargs) => loadBuilder(yargs) as unknown as Argv<LoadArgs>,
  handler: loadHandler,
};
