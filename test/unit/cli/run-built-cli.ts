import { spawnSync } from "node:child_process";
import { projectPath } from "../../../src/paths.js";

/** What the built CLI did: exit code and both streams. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tweetload ARGS` as a user does (the built CLI, `npm test` builds dist/ first), with
 * no database in the environment so nothing reaches a real server by accident.
 */
export function runBuiltCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): CliRun {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  for (const name of Object.keys(env)) {
    if (/^(PG|TWEETLOAD_.*_URL$)/.test(name) && !(name in extraEnv)) delete env[name];
  }
  const run = spawnSync(process.execPath, [projectPath("bin", "tweetload.js"), ...args], {
    env,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
