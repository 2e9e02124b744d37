import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { type CitusNode, nodeName, urlOnNode } from "../../src/db/citus-nodes.js";
import { withClient } from "../../src/db/client.js";
import type { DbKind, Targets } from "../../src/db/kinds.js";
import { projectPath } from "../../src/paths.js";
import { TABLES } from "../integration/fault-helpers.js";

const run = promisify(execFile);
const cli = projectPath("bin", "tweetload.js");

/** The environment that points tweetload at the suite's databases. */
export const targetEnv = (t: Targets): NodeJS.ProcessEnv => ({
  ...process.env,
  TWEETLOAD_DENORMALIZED_URL: t.denormalized,
  TWEETLOAD_NORMALIZED_URL: t.normalized,
  TWEETLOAD_NORMALIZED_BATCH_URL: t.normalized_batch,
  TWEETLOAD_HOME: "/nonexistent-tweetload-home",
});

/** Runs the CLI to its end; resolves with its output, rejects on a non-zero exit. */
export const tweetload = (targets: Targets, args: string[]) =>
  run("node", [cli, ...args], { env: targetEnv(targets), maxBuffer: 1 << 26 });

/** Starts the CLI in the background (for a kill or a change to the cluster during a load). */
export function startTweetload(targets: Targets, args: string[]) {
  const child: ChildProcess = spawn("node", [cli, ...args], {
    env: targetEnv(targets),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout?.resume();
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

/**
 * Every row of a database's tables, as a count and a hash of the sorted rows per table:
 * equal fingerprints mean the same rows, repeats included. Without load_id: which of two
 * files holding the same tweet gave pg_normalized its row depends on the order they loaded.
 */
export async function fingerprint(kind: DbKind, url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const out: Record<string, string> = {};
    for (const table of TABLES[kind]) {
      const { rows } = await c.query<{ r: string }>(
        `SELECT (to_jsonb(t) - 'load_id')::text AS r FROM ${table} t`,
      );
      const sorted = rows.map((r) => r.r).sort();
      out[table] = `${sorted.length} ${createHash("sha1").update(sorted.join("\n")).digest("hex")}`;
    }
    return out;
  });
}

/** A number from one query. */
export const count = (url: string, sql: string, values: unknown[] = []) =>
  withClient(url, async (c) => Number((await c.query<{ n: string }>(sql, values)).rows[0]?.n));

/** Polls `check` every 25 ms until it is true; fails after `seconds`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  seconds = 120,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Watches every worker for connections of tweetload itself (application_name `tweetload
 * …`) to database `db`, until stopped: the nodes it wrote to directly. Citus's own
 * connections from the coordinator carry another name (citus_internal …).
 */
export function watchDirectConnections(admin: string, workers: CitusNode[], db: string) {
  const seen = new Set<string>();
  let running = true;
  const watching = (async () => {
    while (running) {
      for (const w of workers) {
        const { rows } = await withClient(urlOnNode(admin, w), (c) =>
          c.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = $1 AND application_name LIKE 'tweetload %'`,
            [db],
          ),
        );
        if ((rows[0]?.n ?? 0) > 0) seen.add(nodeName(w));
      }
      await sleep(20);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await watching;
      return [...seen].sort();
    },
  };
}

/** The id of a shard of `table` that `node` holds. */
export const shardOn = (url: string, table: string, node: Pick<CitusNode, "host" | "port">) =>
  count(
    url,
    `SELECT s.shardid AS n FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid)
       JOIN pg_dist_node n ON n.groupid = p.groupid
      WHERE s.logicalrelid = $3::regclass AND n.nodename = $1 AND n.nodeport = $2
      LIMIT 1`,
    [node.host, node.port, table],
  );
