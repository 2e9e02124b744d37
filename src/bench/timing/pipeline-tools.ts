import { spawn } from "node:child_process";
import { childEnvironment } from "../../env.js";

/** The tools the shell pipeline reference needs, each checked by running it. */
const TOOLS = [
  ["parallel", "--version"],
  ["unzip", "-v"],
  ["psql", "--version"],
  ["sed", "--version"],
] as const;

/**
 * The sed that fits JSON lines to COPY's text format: it first drops the JSON escape
 * `\u0000` (jsonb refuses it) where it is not itself an escaped backslash followed by
 * `u0000`, on the few lines that hold one, then doubles every backslash.
 */
export const COPY_SED =
  "sed -e '/\\\\u0000/{' -e ':a' -e 's/\\(^\\|[^\\\\]\\)\\(\\(\\\\\\\\\\)*\\)\\\\u0000/\\1\\2/' -e 'ta' -e '}' " +
  "-e 's/\\\\/\\\\\\\\/g'";

/** psql copying its standard input into `tweets_jsonb` of the URL in the environment. */
export const PSQL_COPY =
  'psql -X -q -v ON_ERROR_STOP=1 -d "$TWEETLOAD_PIPELINE_URL" -c "COPY tweets_jsonb (data) FROM STDIN"';

/**
 * What one GNU parallel job runs for the file `{}`, as the course's loader did:
 * `unzip -p` the members, `sed` to fit COPY's text format (doubled backslashes),
 * `psql` COPY from standard input (COPY_SED, PSQL_COPY). The URL comes from the
 * environment so that no password is quoted into a command line.
 */
export const PIPELINE_JOB = `unzip -p {} | ${COPY_SED} | ${PSQL_COPY}`;

/** Arguments of `parallel` running the pipeline over `files`, `jobs` at a time. */
export function pipelineArgs(jobs: number, files: readonly string[]): string[] {
  return ["--will-cite", "--halt", "now,fail=1", "-j", String(jobs), PIPELINE_JOB, ":::", ...files];
}

/** The tools missing from this machine (empty when the pipeline can run). */
export async function missingPipelineTools(): Promise<string[]> {
  const found = await Promise.all(TOOLS.map(([cmd, arg]) => runs(cmd, [arg])));
  return TOOLS.filter((_, i) => !found[i]).map(([cmd]) => cmd);
}

/** Whether `cmd args` runs and exits 0. */
export function runs(cmd: string, args: readonly string[]): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

/**
 * Runs `cmd args` with `env` added to the environment, its output discarded and the end of
 * its stderr kept for the error that names `what` when it exits other than 0; returns the
 * wall seconds until it exits.
 */
export async function timeChild(
  what: string,
  cmd: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<number> {
  const started = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ["ignore", "ignore", "pipe"],
      env: childEnvironment(env),
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr = (stderr + d).slice(-4000);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} failed with exit ${code}: ${stderr.trim()}`));
    });
  });
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Runs the pipeline into the database at `url`; returns the wall seconds until parallel exits. */
export const timePipeline = (url: string, jobs: number, files: readonly string[]) =>
  timeChild(
    "the shell pipeline reference (GNU parallel: unzip | sed | psql COPY)",
    "parallel",
    pipelineArgs(jobs, files),
    { TWEETLOAD_PIPELINE_URL: url },
  );
