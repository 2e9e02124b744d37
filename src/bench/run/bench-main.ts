import { access, readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join, relative, resolve } from "node:path";
import { embeddedUp } from "../../db/embedded.js";
import { tweetloadHome } from "../../db/embedded-state.js";
import { resetDatabase } from "../../db/schema.js";
import { serverSettings } from "../../db/server-settings.js";
import { DB_KINDS, type DbKind, redactUrl, type Targets } from "../../db/targets.js";
import { environment } from "../../env.js";
import { UserError } from "../../errors.js";
import { generateArchives } from "../../generate/generate-archives.js";
import { projectPath } from "../../paths.js";
import { type DataSource, generatedDataSet, givenDataSet } from "../data/data-sets.js";
import { prepareShapes } from "../data/prepare-shapes.js";
import type { BenchSettings } from "../plan/options.js";
import { mainSource } from "../plan/plan-cases.js";
import { readBaseline } from "../reports/baseline.js";
import { renderTimingPage } from "../reports/page.js";
import { assertReadmeMarkers, publishReport } from "../reports/publish.js";
import { psqlAvailable } from "../timing/floor-copy.js";
import type { BenchReport } from "../types.js";
import { runBench } from "./run-bench.js";
import { benchTargets } from "./servers.js";

export interface BenchMainOptions {
  settings: BenchSettings;
  /** Target URLs given on the command line. */
  flags: Partial<Record<DbKind, string>>;
  /** Allow wiping servers that are not embedded clusters, and non-durable servers. */
  yes: boolean;
  /** Render a saved `--json` file instead of measuring. */
  from?: string;
  /** The command-line arguments, recorded (passwords hidden) with the figures. */
  args: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Progress lines (stderr of the CLI). */
  log?: (line: string) => void;
  /** The finished README section (stdout of the CLI). */
  print?: (text: string) => void;
}

/**
 * `tweetload bench` from parsed flags to published results: pick the
 * servers, refuse non-durable ones, get the data, run, write the outputs.
 */
export async function benchMain(opts: BenchMainOptions): Promise<BenchReport> {
  const { settings } = opts;
  const env = opts.env ?? environment();
  const log = opts.log ?? ((line: string) => console.error(line));
  const print = opts.print ?? ((text: string) => console.log(text));
  const readmePath = resolve(settings.readmePath);
  const pagePath = resolve(settings.timingPagePath);
  if (settings.updateReadme) await assertReadmeMarkers(readmePath, pagePath);
  const publish = async (report: BenchReport) => {
    const written = await publishReport(report, {
      ...(settings.jsonPath ? { jsonPath: resolve(settings.jsonPath) } : {}),
      ...(settings.svgPath ? { svgPath: resolve(settings.svgPath) } : {}),
      ...(settings.updateReadme ? { readmePath, pagePath } : {}),
    });
    print(renderTimingPage(report));
    for (const path of written) log(`wrote ${path}`);
  };
  if (opts.from !== undefined) {
    const report = await readReport(resolve(opts.from));
    await publish(report);
    return report;
  }
  const cliPath = projectPath("bin", "tweetload.js");
  try {
    await access(projectPath("dist", "cli", "main.js"));
  } catch {
    throw new UserError("the benchmark runs the built CLI: run `npm run build` first.");
  }

  // The data first: a wrong --data folder is found before any server is touched.
  const home = tweetloadHome(env);
  const sources = await dataSources(settings.data, join(home, "bench-data"), log);
  const { targets, provider } = await benchTargets({
    flags: opts.flags,
    env,
    yes: opts.yes,
    up: () => embeddedUp({ env, log }),
    log,
  });
  await assertDurable(targets, opts.yes, log);

  let floorTool: "psql" | "node" = settings.floorTool === "node" ? "node" : "psql";
  if (settings.floorTool === "auto" && !(await psqlAvailable())) {
    floorTool = "node";
    log("psql is not installed: the floor's COPY is sent from node (pg-copy-streams) instead.");
  }
  // Sequential, and one job per core (the loader's default); `--jobs` adds more.
  const cores = availableParallelism();
  const jobs = settings.jobs ?? [...new Set([1, cores])].sort((a, b) => a - b);
  const parallelJobs = jobs.includes(cores) ? cores : Math.max(...jobs);
  const oneFileJobs = [...new Set([...settings.oneFileJobs, parallelJobs])].sort((a, b) => a - b);
  const { groups, notes, derived } = await prepareShapes({
    settings,
    main: mainSource(sources) as DataSource,
    root: join(home, "bench-data"),
    log,
  });
  sources.push(...derived);
  const baseline = await readBaseline(resolve(settings.baselinePath));
  if (baseline) {
    baseline.source = relative(projectPath(), resolve(settings.baselinePath)) || baseline.source;
  }

  const report = await runBench(
    {
      dataSources: sources,
      variants: settings.variants,
      jobs,
      oneFileJobs,
      parallelJobs,
      groups,
      runs: settings.runs,
      floorStreams: settings.floorStreams,
      floorTool,
      commitFloorSeconds: settings.commitFloorSeconds,
      scratchRoot: join(home, "bench-scratch"),
      cliPath,
      command: commandLine(opts.args),
      notes,
      ...(baseline ? { baseline } : {}),
      log,
    },
    { targets, provider, resetDatabase },
  );
  await publish(report);
  if (provider === "embedded") {
    log("The embedded clusters keep running: `tweetload db down` stops them.");
  }
  return report;
}

async function dataSources(
  data: BenchSettings["data"],
  root: string,
  log: (line: string) => void,
): Promise<DataSource[]> {
  if ("dir" in data) {
    const source = await givenDataSet(resolve(data.dir)).catch((error: unknown) => {
      throw new UserError(`--data: cannot read the folder ${data.dir}.`, 1, { cause: error });
    });
    if (source.archives.length === 0) {
      throw new UserError(`--data: no archives (.zip, .jsonl, .json, .jsonl.gz) in ${data.dir}.`);
    }
    return [source];
  }
  const out: DataSource[] = [];
  for (const tweetsPerFile of data.sizes) {
    const wanted = { files: data.files, tweetsPerFile, seed: data.seed };
    out.push(await generatedDataSet(root, wanted, (o) => generateArchives(o), log));
  }
  return out;
}

/** Figures from a server that does not make commits durable mislead: refuse them unless told. */
async function assertDurable(
  targets: Targets,
  yes: boolean,
  log: (line: string) => void,
): Promise<void> {
  for (const kind of DB_KINDS) {
    const { settings: s } = await serverSettings(targets[kind]);
    if (s.fsync === "off" || s.synchronous_commit === "off") {
      const what = `${kind} (${redactUrl(targets[kind])}) runs with fsync=${s.fsync}, synchronous_commit=${s.synchronous_commit}`;
      if (!yes) {
        throw new UserError(
          `${what}: figures from a server that does not make commits durable mislead. Use durable settings, or pass --yes to measure anyway (the settings are recorded with the figures).`,
        );
      }
      log(`warning: ${what}; the report records it.`);
    }
  }
}

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
