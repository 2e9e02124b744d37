import { availableParallelism } from "node:os";
import type { Argv, CommandModule } from "yargs";
import { CASE_GROUPS } from "../../bench/cases/registry.js";
import {
  type BenchArgs,
  benchSettings,
  DEFAULT_COMMIT_FLOOR_SECONDS,
  DEFAULT_FILES,
  DEFAULT_ONE_FILE_JOBS,
  DEFAULT_TWEETS_PER_FILE,
} from "../../bench/plan/options.js";
import { LOADER_VARIANTS } from "../../bench/plan/variants.js";
import { environment } from "../../env.js";
import { projectPath } from "../../paths.js";
import { type TargetArgs, withTargetOptions } from "../target-options.js";

type Args = BenchArgs & TargetArgs;

/** `tweetload bench` (`npm run bench`): timing table, floor and chart, from this machine. */
export const benchCommand: CommandModule<object, Args> = {
  command: "bench",
  describe:
    "Time every loader sequentially and in parallel from fresh databases, beside the psql \\copy floor, on N files, one big file, v2 pages and a Stream Grab tar, with the shell pipelines and the commit floor; print the tables, optionally write JSON, an SVG chart and the README section",
  builder: (yargs: Argv) =>
    withTargetOptions(yargs)
      .option("runs", {
        type: "number",
        default: 3,
        describe: "Repetitions of every case (median shown), interleaved",
      })
      .option("jobs", {
        type: "string",
        describe:
          "Comma-separated --jobs values to time on the N files, e.g. 1,2,10 (1 is always added; default: 1 and the number of cores)",
      })
      .option("cases", {
        type: "string",
        describe: `Comma-separated groups of cases to run (default all): ${CASE_GROUPS.join(", ")}`,
      })
      .option("one-file-jobs", {
        type: "string",
        describe: `--jobs values on the one big file (default ${DEFAULT_ONE_FILE_JOBS.join(",")}, plus the parallel jobs value)`,
      })
      .option("commit-floor-seconds", {
        type: "number",
        describe: `How long the commit floor sends its INSERTs (default ${DEFAULT_COMMIT_FLOOR_SECONDS})`,
      })
      .option("baseline", {
        type: "string",
        describe:
          "Earlier --json results the no-regression targets compare with (default bench-results/bench.json, if present)",
      })
      .option("data", {
        type: "string",
        describe: "Folder of your own archives (default: a generated set)",
      })
      .option("files", {
        type: "number",
        describe: `Files of the generated set (default ${DEFAULT_FILES})`,
      })
      .option("tweets-per-file", {
        type: "number",
        describe: `Tweets per generated file (default ${DEFAULT_TWEETS_PER_FILE})`,
      })
      .option("sizes", {
        type: "string",
        describe:
          "Several tweets-per-file sizes, e.g. 1000,5000,10000: shows how time grows with tweets",
      })
      .option("seed", { type: "number", default: 1, describe: "Seed of the generated set" })
      .option("db", {
        type: "string",
        describe: `Comma-separated loaders to time (default all): ${LOADER_VARIANTS.map((v) => v.id).join(", ")}`,
      })
      .option("floor-streams", {
        type: "number",
        default: availableParallelism(),
        describe: "Concurrent psql \\copy streams of the parallel floor (default: one per core)",
      })
      .option("floor-tool", {
        type: "string",
        choices: ["auto", "psql", "node"],
        default: "auto",
        describe:
          "What sends the floor's COPY: psql \\copy, or node (pg-copy-streams); auto = psql when installed",
      })
      .option("json", { type: "string", describe: "Write the results as JSON to this file" })
      .option("svg", { type: "string", describe: "Write the bar chart to this SVG file" })
      .option("update-readme", {
        type: "boolean",
        default: false,
        describe:
          "Replace the sections between <!-- bench:start --> and <!-- bench:end -->: the main table in the README, every table in docs/timing.md (and write docs/bench.svg, bench-results/bench.json)",
      })
      .option("readme", {
        type: "string",
        default: projectPath("README.md"),
        describe: "The README to update",
      })
      .option("timing-page", {
        type: "string",
        describe:
          "The page of every timing table to update (default: docs/timing.md beside the README)",
      })
      .option("from", {
        type: "string",
        describe:
          "Measure nothing: render the results saved earlier with --json FILE (to redo the tables, chart or pages)",
      })
      .option("yes", {
        type: "boolean",
        default: false,
        describe: "Allow wiping servers that are not tweetload's embedded clusters",
      }) as unknown as Argv<Args>,
  handler: async (argv) => {
    const { benchMain } = await import("../../bench/run/bench-main.js");
    await benchMain({
      settings: benchSettings(argv),
      flags: {
        denormalized: argv.denormalizedUrl,
        normalized: argv.normalizedUrl,
        normalized_batch: argv.normalizedBatchUrl,
      },
      yes: argv.yes,
      env: environment(argv.home),
      ...(argv.from === undefined ? {} : { from: argv.from }),
      args: process.argv.slice(2),
    });
  },
};
