import { spawn } from "node:child_process";
import { withClient } from "../../src/db/client.js";
import type { Targets } from "../../src/db/kinds.js";
import { projectPath } from "../../src/paths.js";

/** Tweet ids above 2^53, so a rounding reader would change them. */
const BASE = 1_344_795_502_917_291_104n;
const USER = 9_007_199_254_740_993n;

/** The id of the n-th test tweet, as text. */
export const tweetId = (n: number): string => String(BASE + BigInt(n) * 1_000_003n);

/** A small but complete v1.1 tweet line; ids are integer literals past 2^53. */
export function tweet(n: number): string {
  const id = tweetId(n);
  return (
    `{"created_at":"Fri Jan 01 12:00:${String(n % 60).padStart(2, "0")} +0000 2021","id":${id},` +
    `"text":"tweet ${n} #input é","user":{"id":${USER + BigInt(n % 7)},"screen_name":"u${n % 7}"},` +
    `"entities":{"hashtags":[{"text":"input"}],"urls":[],"user_mentions":[],"symbols":[]},"lang":"en"}`
  );
}

/** Tweets n..n+count-1 as JSON lines. */
export const tweetLines = (from: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => tweet(from + i));

/** The distinct tweet ids a database holds, sorted (the view in denormalized). */
export function storedIds(url: string): Promise<string[]> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      "SELECT DISTINCT id_tweets::text AS id FROM tweets ORDER BY 1",
    );
    return rows.map((r) => r.id);
  });
}

/** The target flags of the built CLI for `targets`. */
export const targetFlags = (t: Partial<Targets>): string[] =>
  Object.entries({
    "--denormalized-url": t.denormalized,
    "--normalized-url": t.normalized,
    "--normalized-batch-url": t.normalized_batch,
  }).flatMap(([flag, url]) => (url === undefined ? [] : [`${flag}=${url}`]));

/** Runs the built CLI with `stdin` piped in; resolves with its exit code and output. */
export function runCli(
  args: string[],
  options: { stdin?: Buffer; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", [projectPath("bin", "tweetload.js"), ...args], {
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? Buffer.alloc(0));
  });
}
