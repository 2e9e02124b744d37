import { renderCheckTable } from "../check/render-check-table.js";
import { type CheckReport, runChecks } from "../check/run-checks.js";
import { withClient } from "../db/client.js";
import { embeddedUp } from "../db/embedded.js";
import { runningEmbeddedTargets, tweetloadHome } from "../db/embedded-state.js";
import { resetDatabase } from "../db/schema.js";
import { type DbKind, redactUrl, resolveTargets, type Targets } from "../db/targets.js";
import { environment } from "../env.js";
import { UserError } from "../errors.js";
import { projectPath } from "../paths.js";
import { renderSummaryTable } from "../report/summary.js";
import { loadSample } from "./load-sample.js";
import { describePlan, planStart, type StartTarget } from "./plan.js";

/** What `tweetload start` was asked for. */
export interface StartOptions {
  /** URLs from the command line; the environment and the embedded clusters fill the rest. */
  flags: Partial<Record<DbKind, string>>;
  /** Also wipe servers the user named (the embedded clusters are always wiped). */
  resetNamed: boolean;
  /** Workers of the load; the loader's default when absent. */
  jobs?: number;
  env?: NodeJS.ProcessEnv;
  /** Where progress sentences and tables go (stdout of the CLI). */
  log?: (text: string) => void;
}

/** How `tweetload start` ended: `ok` only when every file loaded and every check passed. */
export interface StartOutcome {
  ok: boolean;
  failedLoads: number;
  failedChecks: number;
  usedEmbedded: boolean;
}

/**
 * The job of `npm start` on a fresh machine: databases (the embedded clusters unless the
 * user named servers), the shipped sample of data/ into all three at once, then the
 * checker against expected/. Prints as it goes; the caller turns the outcome into an exit code.
 */
export async function runStart(options: StartOptions): Promise<StartOutcome> {
  const env = options.env ?? environment();
  const log = options.log ?? ((text: string) => console.log(text));

  const { targets, embedded } = await startTargets(options.flags, env, log);
  const plan = planStart(targets, embedded, options.resetNamed);
  log(describePlan(plan));
  await Promise.all(plan.map(reachable));

  const toReset = plan.filter((target) => target.reset);
  if (toReset.length > 0) {
    log(`\nResetting ${toReset.map((t) => t.kind).join(", ")} to fresh schemas…`);
    await Promise.all(toReset.map((target) => resetDatabase(target.url, target.kind)));
  }

  const dataDir = projectPath("data");
  log(`\nLoading ${dataDir} into all three databases in parallel…`);
  const summary = await loadSample(targets, dataDir, { jobs: options.jobs });
  log(`\n${renderSummaryTable(summary)}`);

  const expectedDir = projectPath("expected");
  log(`\nChecking every query of sql/ against ${expectedDir}…`);
  const report = await runChecks(targets, { expectedDir });
  log(renderCheckTable(report));

  const failedLoads = summary.files.filter(
    (file) => file.status === "failed" || file.status === "partial",
  ).length;
  const failedChecks = countFailedChecks(report);
  const usedEmbedded = plan.some((target) => target.origin === "embedded");
  if (failedLoads === 0 && report.ok) {
    log(
      `\nEvery file loaded and every answer matches expected/.${
        usedEmbedded
          ? " The embedded databases keep running: `tweetload db status` shows their URLs, `tweetload db down` stops them."
          : ""
      }`,
    );
  }
  return { ok: failedLoads === 0 && report.ok, failedLoads, failedChecks, usedEmbedded };
}

/**
 * The URLs to use. When some database is named nowhere (flags, TWEETLOAD_*_URL, PG*) and
 * no embedded cluster runs, resolving fails with a UserError: start then brings the
 * embedded clusters up itself, which is the whole point of `npm start` on a fresh machine.
 */
async function startTargets(
  flags: Partial<Record<DbKind, string>>,
  env: NodeJS.ProcessEnv,
  log: (text: string) => void,
): Promise<{ targets: Targets; embedded: Targets | undefined }> {
  const home = tweetloadHome(env);
  let embedded = await runningEmbeddedTargets(home);
  try {
    return { targets: await resolveTargets(flags, env), embedded };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
  log(`No database named: starting the embedded PostgreSQL clusters in ${home}…`);
  embedded = await embeddedUp({ env, log });
  return { targets: await resolveTargets(flags, env), embedded };
}

/** Fails with a sentence naming the database before anything is reset or loaded. */
async function reachable(target: StartTarget): Promise<void> {
  try {
    await withClient(target.url, (client) => client.query("SELECT 1"));
  } catch (error) {
    throw new UserError(
      `cannot connect to the ${target.kind} database at ${redactUrl(target.url)}: ${(error as Error).message}. ` +
        "Is that server running, and does the database exist?",
      1,
      { cause: error },
    );
  }
}

/** Checker cells (one query on one database) that did not pass. */
function countFailedChecks(report: CheckReport): number {
  return report.queries.reduce(
    (n, query) => n + Object.values(query.cells).filter((cell) => cell.status !== "pass").length,
    0,
  );
}
