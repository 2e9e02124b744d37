import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderCheckTable } from "../../src/check/render-check-table.js";
import { runChecks } from "../../src/check/run-checks.js";
import { DB_KINDS, type Targets, targetEnvName } from "../../src/db/targets.js";
import { projectPath } from "../../src/paths.js";
import { freshTargets } from "./helpers/database.js";

const run = promisify(execFile);

/**
 * The parallel script end to end, as CI's workflows and `.ci/run` use it: GNU parallel
 * drives the built CLI, one process per group of files, into three fresh databases, and the
 * checker must then find the expected answers of the shipped sample in all three.
 */
describe("scripts/load_tweets_parallel.sh", () => {
  let targets: Targets;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    await access(projectPath("dist", "cli", "main.js")).catch(() => {
      throw new Error("the scripts run the built CLI: run `npm run build` first (npm test does).");
    });
    ({ targets, drop } = await freshTargets());
  });

  afterAll(async () => {
    await drop?.();
  });

  it("loads data/ into all three databases so that every check passes", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const kind of DB_KINDS) env[targetEnvName(kind)] = targets[kind];
    delete env.TWEETLOAD_DBS;
    delete env.TWEETLOAD_DATA_DIR;
    const { stdout, stderr } = await run(
      "sh",
      [projectPath("scripts", "load_tweets_parallel.sh")],
      {
        env,
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    for (const kind of DB_KINDS) expect(stdout).toContain(`load ${kind}:`);
    expect(stderr.match(/^real /gm)).toHaveLength(3);

    const report = await runChecks(targets, { expectedDir: projectPath("expected") });
    expect(report.ok, renderCheckTable(report)).toBe(true);
  });
});
