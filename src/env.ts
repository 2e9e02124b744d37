import { resolve } from "node:path";

/**
 * The one module that reads the environment. Every setting tweetload takes from it
 * (TWEETLOAD_*_URL, the PG* variables, TWEETLOAD_HOME, TWEETLOAD_DEBUG, TWEETLOAD_TRACE) is
 * read through `environment()`, and passed down as a value from there: nothing writes
 * process.env to hand a setting on.
 */
export type Env = NodeJS.ProcessEnv;

/**
 * The environment, with `home` (`--home DIR`), when given, in place of TWEETLOAD_HOME: a
 * copy, so the flag reaches what the command passes it to and nothing else.
 */
export function environment(home?: string): Env {
  if (home === undefined || home.trim() === "") return process.env;
  return { ...process.env, TWEETLOAD_HOME: resolve(home) };
}

/** The environment of a child process: this one's, with `extra` set. */
export const childEnvironment = (extra: Record<string, string>): Env => ({
  ...process.env,
  ...extra,
});

/** Whether a switch variable is on: set, not empty and not `0`. */
export function envFlag(name: string, env: Env = process.env): boolean {
  const value = env[name] ?? "";
  return value !== "" && value !== "0";
}
