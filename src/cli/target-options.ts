import type { Argv } from "yargs";
import {
  DB_KINDS,
  type DbKind,
  resolveTargets,
  type Targets,
  targetEnvName,
  targetFlagName,
} from "../db/targets.js";
import { type Env, environment } from "../env.js";

/** The parsed target flags, as yargs camel-cases them, and `--home`. */
export interface TargetArgs extends HomeArgs {
  denormalizedUrl?: string;
  normalizedUrl?: string;
  normalizedBatchUrl?: string;
}

const argKey: Record<DbKind, keyof TargetArgs> = {
  denormalized: "denormalizedUrl",
  normalized: "normalizedUrl",
  normalized_batch: "normalizedBatchUrl",
};

/** The parsed `--home` flag. */
export interface HomeArgs {
  home?: string;
}

/**
 * Adds `--home DIR` (the embedded clusters' folder): the same as TWEETLOAD_HOME=DIR for
 * this command, which passes `environment(argv.home)` (env.ts) to what it runs.
 */
export function withHomeOption<T>(yargs: Argv<T>): Argv<T & HomeArgs> {
  return yargs.option("home", {
    type: "string",
    group: "Databases:",
    describe:
      "Folder of the embedded clusters (default $TWEETLOAD_HOME, else .tweetload/ when tweetload runs from a git clone, else the user's data directory, ~/.local/share/tweetload on Linux)",
  }) as Argv<T & HomeArgs>;
}

/**
 * Adds `--denormalized-url`, `--normalized-url`, `--normalized-batch-url` and `--home` (the
 * embedded clusters used for any URL not given) to a command.
 */
export function withTargetOptions<T>(yargs: Argv<T>): Argv<T & TargetArgs & HomeArgs> {
  let out = withHomeOption(yargs) as Argv<T & TargetArgs & HomeArgs>;
  for (const kind of DB_KINDS) {
    out = out.option(targetFlagName(kind), {
      type: "string",
      group: "Databases:",
      describe: `URL of pg_${kind} (else $${targetEnvName(kind)}, PG* variables, or the embedded clusters)`,
    }) as Argv<T & TargetArgs & HomeArgs>;
  }
  return out;
}

/** The three URLs a command should use, from its parsed flags and the environment. */
export function targetsFromArgv(argv: TargetArgs, env: Env = environment()): Promise<Targets> {
  const flags: Partial<Record<DbKind, string>> = {};
  for (const kind of DB_KINDS) {
    const value = argv[argKey[kind]];
    if (typeof value === "string") flags[kind] = value;
  }
  return resolveTargets(flags, env);
}
