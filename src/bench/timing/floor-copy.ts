import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { from as copyFrom } from "pg-copy-streams";
import { withClient } from "../../db/client.js";
import { UserError } from "../../errors.js";
import { JSONB_COPY_OPTIONS, JSONB_COPY_SQL } from "../../load/jsonb-copy.js";

/** The `psql` meta-command copying one file of JSON lines into `tweets_jsonb`, as the loader does. */
export function copyCommand(file: string): string {
  return `\\copy tweets_jsonb (data) FROM '${file.replace(/'/g, "''")}' ${JSONB_COPY_OPTIONS}`;
}

/**
 * Splits weighted items into `n` groups of about equal total weight (largest
 * first onto the lightest group), keeping each group in the input order.
 */
export function balancedGroups<T>(
  items: readonly T[],
  n: number,
  weight: (item: T) => number,
): T[][] {
  const groups = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, () => ({
    total: 0,
    members: [] as number[],
  }));
  const order = items
    .map((_, i) => i)
    .sort((a, b) => weight(items[b] as T) - weight(items[a] as T) || a - b);
  for (const i of order) {
    const lightest = groups.reduce((best, g) => (g.total < best.total ? g : best));
    lightest.total += weight(items[i] as T);
    lightest.members.push(i);
  }
  return groups.map((g) => g.members.sort((a, b) => a - b).map((i) => items[i] as T));
}

/** The arguments of one `psql` process copying `files` one after another over one connection. */
export function psqlArgs(url: string, files: readonly string[]): string[] {
  return [
    "-X",
    "-q",
    "-v",
    "ON_ERROR_STOP=1",
    "-d",
    url,
    ...files.flatMap((f) => ["-c", copyCommand(f)]),
  ];
}

/**
 * Runs one `psql` per group at the same time and returns the wall seconds
 * until the last one exits. Any failure is an error naming psql's message.
 */
export async function timePsqlCopy(
  url: string,
  groups: readonly (readonly string[])[],
): Promise<number> {
  const started = process.hrtime.bigint();
  await Promise.all(groups.map((files) => runPsql(psqlArgs(url, files))));
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function runPsql(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("psql", args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "ENOENT"
          ? new UserError(
              "the floor measurement needs `psql` on the PATH: install the PostgreSQL client (e.g. `apt-get install postgresql-client`).",
            )
          : error,
      );
    });
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`psql \\copy failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}

/** Whether a `psql` client can be started. */
export function psqlAvailable(): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("psql", ["--version"], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

/**
 * The same floor without psql: one connection per group streaming its files
 * through `COPY … FROM STDIN` with pg-copy-streams. Returns wall seconds.
 */
export async function timeNodeCopy(
  url: string,
  groups: readonly (readonly string[])[],
): Promise<number> {
  // Timed from connecting, as the psql floor is timed from starting psql.
  const started = process.hrtime.bigint();
  await Promise.all(
    groups.map((files) =>
      withClient(url, async (client) => {
        for (const file of files) {
          await pipeline(
            createReadStream(file, { highWaterMark: 1 << 20 }),
            client.query(copyFrom(JSONB_COPY_SQL)),
          );
        }
      }),
    ),
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}
