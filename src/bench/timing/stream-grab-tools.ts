import { COPY_SED, PSQL_COPY, runs, timeChild } from "./pipeline-tools.js";

/**
 * The bzip2 decoder the shell rows use: lbzip2 (every core on one stream) where it is
 * installed, as someone who knows the archive would pick, else the reference bzip2.
 */
export async function shellBzip2(): Promise<"lbzip2" | "bzip2" | undefined> {
  if (await runs("lbzip2", ["--version"])) return "lbzip2";
  if (await runs("bzip2", ["--help"])) return "bzip2";
  return undefined;
}

/** The tools the Stream Grab's shell rows need that are missing (bzip2 stands for either decoder). */
export async function missingStreamGrabTools(): Promise<string[]> {
  const tools = [
    ["bash", "--version"],
    ["tar", "--version"],
    ["grep", "--version"],
    ["sed", "--version"],
    ["psql", "--version"],
  ] as const;
  const found = await Promise.all(tools.map(([cmd, arg]) => runs(cmd, [arg])));
  const missing: string[] = tools.filter((_, i) => !found[i]).map(([cmd]) => cmd);
  if ((await shellBzip2()) === undefined) missing.push("bzip2 (or lbzip2)");
  return missing;
}

/** Every `.json.bz2` member of the tar in `$TAR`, one after another, decoded by `bzip2`. */
const decodeMembers = (bzip2: string) => `tar -xOf "$TAR" --wildcards '*.json.bz2' | ${bzip2} -dc`;

/**
 * What a user without tweetload would run on a Stream Grab month: the members' bytes out
 * of the tar (`tar -xO`, one bzip2 stream after another, which bzip2 decodes as one), the
 * delete notices dropped, COPY's sed, and one `psql` COPY into tweets_jsonb.
 */
export const streamGrabPipeline = (bzip2: string) =>
  `${decodeMembers(bzip2)} | grep -v '^{"delete"' | ${COPY_SED} | ${PSQL_COPY}`;

/** The floor: only decoding the members, the lines discarded. */
export const bzip2Floor = (bzip2: string) => `${decodeMembers(bzip2)} > /dev/null`;

/**
 * Runs `script` under bash with pipefail (a failing step fails the row), the tar in
 * `$TAR` and the database in `$TWEETLOAD_PIPELINE_URL`, so neither path nor password is
 * quoted into it; returns the wall seconds until it exits.
 */
export const timeShell = (
  what: string,
  script: string,
  env: { TAR: string; TWEETLOAD_PIPELINE_URL?: string },
) => timeChild(what, "bash", ["-c", `set -o pipefail; ${script}`], env);
