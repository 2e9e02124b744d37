import type { Argv } from "yargs";
import {
  DB_KINDS,
  type DbKind,
  resolveTargets,
  type Targets,
  targetEnvName,
  targetFlagName,
} from "../db/targets.js";

/** The parsed target flags, as yargs camel-cases them. */
export interface TargetArgs {
  denormalizedUrl?: string;
  normalizedUrl?: string;
  normalizedBatchUrl?: string;
}

const argKey: Record<DbKind, keyof TargetArgs> = {
  denormalized: "denormalizedUrl",
  normalized: "normalizedUrl",
  normalized_batch: "normalizedBatchUrl",
};

/** Adds `--denormalized-url`, `--normalized-url` and `--normalized-batch-url` to a command. */
export function withTargetOptions<T>(yargs: Argv<T>): Argv<T & TargetArgs> {
  let out = yargs as Argv<T & TargetArgs>;
  for (const kind of DB_KINDS) {
    out = out.option(targetFlagName(kind), {
      type: "string",
      group: "Databases:",
      describe: `URL of pg_${kind} (else $${targetEnvName(kind)}, PG* variables, or the embedded clusters)`,
    }) as Argv<T & TargetArgs>;
  }
  return out;
}

/** The three URLs a command should use, from its parsed flags and the environment. */
export function targetsFromArgv(
  argv: TargetArgs,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Targets> {
  const flags: Partial<Record<DbKind, string>> = {};
  for (const kind of DB_KINDS) {
    const value = argv[argKey[kind]];
    if (typeof value === "string") flags[kind] = value;
  }
  return resolveTargets(flags, env);
}
