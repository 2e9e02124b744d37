import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { withClient } from "../db/client.js";
import { readLineBatches } from "../input/read-lines.js";
import type { InputOptions } from "../input/types.js";
import { classifyLine } from "../transform/classify-line.js";

/** Ids per query: keeps each array parameter a few hundred KB. */
const IDS_PER_QUERY = 50_000;

/**
 * The distinct tweet ids of a file (or of `input.chunk` of it), as every loader reads them
 * (bad lines and notices left out).
 */
export async function tweetIdsOf(file: string, input: InputOptions = {}): Promise<string[]> {
  const ids = new Set<string>();
  for await (const batch of readLineBatches(file, { ...input, byteStrings: true })) {
    for (const line of batch) {
      try {
        const c = classifyLine(line.text, line.byteString === true);
        if (c.kind === "tweets") for (const t of c.tweets) ids.add(t.tweet.id);
      } catch {
        // a bad line: not in the database
      }
    }
  }
  return [...ids];
}

/**
 * Waits (at most 10 s) until backend `pid` has ended, so that nothing it was sent can
 * still commit: a connection that broke may leave statements running on the server, and
 * an autocommitted one that finishes after the break is in the database unacknowledged.
 * The backend ends by itself once it reads the closed connection. It is not terminated:
 * its pid may already belong to another session.
 */
export async function backendGone(client: pg.Client, pid: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rowCount } = await client.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid]);
    if (rowCount === 0) return;
    await sleep(20);
  }
}

/**
 * How many of a file's tweets pg_normalized holds, for a file whose connection broke
 * mid-load (a killed worker, Ctrl-C, a lost connection): the count of acknowledged
 * commits misses those the server finished after the break. Asked once backend `pid`
 * (the broken connection's, when known) is gone; reads the file again for its ids.
 */
export async function tweetsInDatabase(url: string, file: string, pid?: number): Promise<number> {
  const ids = await tweetIdsOf(file);
  return withClient(url, async (client) => {
    if (pid) await backendGone(client, pid);
    return idsInDatabase(client, ids);
  });
}

/** How many of `ids` pg_normalized's tweets table holds. */
export async function idsInDatabase(client: pg.Client, ids: readonly string[]): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM tweets WHERE id_tweets = ANY($1::bigint[])",
      [ids.slice(i, i + IDS_PER_QUERY)],
    );
    n += Number(rows[0]?.n);
  }
  return n;
}
