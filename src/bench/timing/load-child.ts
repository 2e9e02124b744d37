import { spawn } from "node:child_process";
import { DB_KINDS, type Targets, targetFlagName } from "../../db/targets.js";
import type { LoaderVariant } from "../types.js";

/** The part of `tweetload load --json`'s summary the benchmark reads. */
export interface LoadSummary {
  totals: {
    tweets: number;
    rejects: number;
    seconds: number;
    tweetsPerSecond: number;
    failed: number;
  };
  resources?: { userCpuSeconds: number; systemCpuSeconds: number; maxRssMB: number };
}

/** Arguments of the `tweetload load` child for one case; all three URLs are passed so nothing is guessed. */
export function loadArgs(
  variant: LoaderVariant,
  jobs: number,
  targets: Targets,
  files: readonly string[],
): string[] {
  return [
    "load",
    "--db",
    variant.db,
    "--jobs",
    String(jobs),
    "--json",
    ...variant.extraArgs,
    ...DB_KINDS.flatMap((kind) => [`--${targetFlagName(kind)}`, targets[kind]]),
    ...files,
  ];
}

/** Reads the summary from the child's stdout, which should hold nothing else. */
export function parseLoadSummary(stdout: string): LoadSummary {
  const text = stdout.trim();
  const candidates = [
    text,
    ...text
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .reverse(),
  ];
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate) as LoadSummary;
      if (value && typeof value === "object" && value.totals) return value;
    } catch {
      // try the next candidate
    }
  }
  throw new Error(
    `\`tweetload load --json\` printed no summary JSON; its output began: ${text.slice(0, 200)}`,
  );
}

/**
 * Runs the built CLI as a child process and returns its summary and the wall
 * time from spawn to exit (node start-up included, as a user would see it).
 */
export async function runLoadChild(
  cliPath: string,
  args: readonly string[],
): Promise<{ wallSeconds: number; summary: LoadSummary }> {
  const started = process.hrtime.bigint();
  const { code, stdout, stderr } = await new Promise<{
    code: number | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      // Keep the tail only: progress lines can be many.
      err = (err + d).slice(-8000);
    });
    child.on("error", reject);
    child.on("close", (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) {
    throw new Error(
      `\`tweetload load --db ${args[2]}\` exited with code ${code}; the end of its output:\n${stderr.trim() || stdout.trim().slice(-2000)}`,
    );
  }
  return { wallSeconds, summary: parseLoadSummary(stdout) };
}
