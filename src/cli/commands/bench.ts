import { access, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { generatedDataSet, givenDataSet } from "../../bench/data-sets.js";
import { psqlAvailable } from "../../bench/floor-copy.js";
import {
  type BenchArgs,
  benchSettings,
  DEFAULT_FILES,
  DEFAULT_TWEETS_PER_FILE,
} from "../../bench/options.js";
import { assertReadmeMarkers, publishReport } from "../../bench/publish.js";
import { renderReadmeSection } from "../../bench/report-readme.js";
import { runBench } from "../../bench/run-bench.js";
import { serverSettings } from "../../bench/server-info.js";
import { benchTargets } from "../../bench/targets.js";
import type { BenchReport } from "../../bench/types.js";
import { embeddedUp } from "../../db/embedded.js";
import { tweetloadHome } from "../../db/embedded-state.js";
import { resetDatabase } from "../../db/schema.js";
import { DB_KINDS, redactUrl } from "../../db/targets.js";
import { generateArchives } from "../../generate/generate-archives.js";
import { projectPath } from "../../paths.js";
import { UserError } from "../report-fatal.js";
import { type TargetArgs, withTargetOptions } from "../target-options.js";

type Args = BenchArgs & TargetArgs;

const log = (line: string) => console.error(line);

/** `tweetload bench` (`npm run bench`): timing table, floor and chart, from this machine. */
export const benchCommand: CommandModule<object, Args> = {
  command: "bench",
  describe:
    "Time every loader sequentially and in parallel from fresh databases, beside the psql \\copy floor; print the table, optionally write JSON, an SVG chart and the README section",
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
          "Comma-separated --jobs values to time, e.g. 1,2,4 (1 is always added; default: 1 and the number of files)",
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
        describe:
          "Comma-separated loaders to time (default all): normalized, normalized_batch, denormalized",
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
          "Replace the README section between <!-- bench:start --> and <!-- bench:end --> (and write docs/bench.svg, docs/bench.json)",
      })
      .option("readme", {
        type: "string",
        default: projectPath("README.md"),
        describe: "The README to update",
      })
      .option("from", {
        type: "string",
        describe:
          "Measure nothing: render the results saved earlier with --json FILE (to redo the table, chart or README)",
      })
      .option("yes", {
        type: "boolean",
        default: false,
        describe: "Allow wiping servers that are not tweetload's embedded clusters",
      }) as unknown as Argv<Args>,
  handler: async (argv) => {
    const settings = benchSettings(argv);
    const readmePath = resolve(settings.readmePath);
    if (settings.updateReadme) await assertReadmeMarkers(readmePath);
    const publish = async (report: BenchReport) => {
      const written = await publishReport(report, {
        ...(settings.jsonPath ? { jsonPath: resolve(settings.jsonPath) } : {}),
        ...(settings.svgPath ? { svgPath: resolve(settings.svgPath) } : {}),
        ...(settings.updateReadme ? { readmePath } : {}),
      });
      console.log(renderReadmeSection(report));
      for (const path of written) log(`wrote ${path}`);
    };
    if (argv.from !== undefined) {
      await publish(await readReport(resolve(argv.from)));
      return;
    }
    const cliPath = projectPath("bin", "tweetload.js");
    try {
      await access(projectPath("dist", "cli", "main.js"));
    } catch {
      throw new UserError("the benchmark runs the built CLI: run `npm run build` first.");
    }

    const env = process.env;
    const { targets, provider } = await benchTargets({
      flags: {
        denormalized: argv.denormalizedUrl,
        normalized: argv.normalizedUrl,
        normalized_batch: argv.normalizedBatchUrl,
      },
      env,
      yes: argv.yes,
      up: () => embeddedUp(),
      log,
    });
    for (const kind of DB_KINDS) {
      const { settings: s } = await serverSettings(targets[kind]);
      if (s.fsync === "off" || s.synchronous_commit === "off") {
        const what = `${kind} (${redactUrl(targets[kind])}) runs with fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit}`;
        if (!argv.yes) {
          throw new UserError(
            `${what}: figures from a server that does not make commits durable mislead. Use durable settings, or pass --yes to measure anyway (the settings are recorded with the figures).`,
          );
        }
        log(`warning: ${what}; the report records it.`);
      }
    }

    let floorTool: "psql" | "node" = settings.floorTool === "node" ? "node" : "psql";
    if (settings.floorTool === "auto" && !(await psqlAvailable())) {
      floorTool = "node";
      log("psql is not installed: the floor's COPY is sent from node (pg-copy-streams) instead.");
    }
    const home = tweetloadHome(env);
    const sources =
      "dir" in settings.data
        ? [await givenDataSet(resolve(settings.data.dir))]
        : await (async () => {
            const d = settings.data as { files: number; sizes: number[]; seed: number };
            const out = [];
            for (const tweetsPerFile of d.sizes) {
              out.push(
                await generatedDataSet(
                  join(home, "bench-data"),
                  { files: d.files, tweetsPerFile, seed: d.seed },
                  (o) => generateArchives(o),
                  log,
                ),
              );
            }
            return out;
          })();
    const files = Math.max(...sources.map((s) => s.archives.length));
    const jobs = settings.jobs ?? [...new Set([1, Math.max(files, 1)])];

    const report = await runBench(
      {
        dataSources: sources,
        variants: settings.variants,
        jobs,
        runs: settings.runs,
        floorStreams: settings.floorStreams,
        floorTool,
        scratchRoot: join(home, "bench-scratch"),
        cliPath,
        command: commandLine(process.argv.slice(2)),
        log,
      },
      { targets, provider, resetDatabase },
    );

    await publish(report);
    if (provider === "embedded") {
      log("The embedded clusters keep running: `tweetload db down` stops them.");
    }
  },
};

async function readReport(path: string): Promise<BenchReport> {
  let report: BenchReport;
  try {
    report = JSON.parse(await readFile(path, "utf8")) as BenchReport;
  } catch (error) {
    throw new UserError(`--from: cannot read bench results from ${path}.`, 1, { cause: error });
  }
  if (report?.version !== 1 || !Array.isArray(report.results)) {
    throw new UserError(`--from: ${path} is not a file written by \`tweetload bench --json\`.`);
  }
  return report;
}

/** The command as typed, for the report, with any password in a URL hidden. */
function commandLine(args: readonly string[]): string {
  const shown = args.map((a) => (/^[a-z]+:\/\//i.test(a) ? redactUrl(a) : a));
  return ["tweetload", ...shown].join(" ");
}
