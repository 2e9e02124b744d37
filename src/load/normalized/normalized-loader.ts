import { isDistributed } from "../../db/citus.js";
import { detectGeoMode } from "../../db/schema.js";
import { inTransaction } from "../../db/transaction.js";
import type { GeoMode } from "../../transform/geo.js";
import type { TweetRows } from "../../transform/rows.js";
import { tweetColumns } from "../../transform/table-columns.js";
import { openDirect } from "../citus/direct.js";
import type { Loader, LoaderConnection, PgClient } from "../loader.js";
import { readTweetSql } from "../tweet-sql.js";
import { citusFunctionsSql, groupStatementTemplate } from "./citus-sql.js";
import { DirectCalls } from "./direct-calls.js";
import { type Call, PerTweetSession } from "./per-tweet-session.js";
import { groupCalls, readShardMins } from "./shard-groups.js";

const FUNCTION_FILE = "load-tweet.sql";

/**
 * The call of server function `name` with `values` on `client`, as a named (prepared) statement whose
 * placeholders are counted from the values: the arguments are listed once, where they are
 * made, and a function that gains one needs no count changed.
 */
function callOf(client: PgClient, name: string, values: unknown[]): Call {
  let text = CALL_TEXTS.get(name);
  if (text === undefined) {
    text = `SELECT ${name}(${values.map((_, i) => `$${i + 1}`).join(",")})`;
    CALL_TEXTS.set(name, text);
  }
  return { client, name, text, values };
}
const CALL_TEXTS = new Map<string, string>();

/** The arguments of tweetload_load_tweet, in its order. */
export function callValues(rows: TweetRows, geoMode: GeoMode): unknown[] {
  const t = rows.tweet;
  const [author, ...others] = rows.users;
  if (!author) throw new Error("a tweet without its author row");
  return [
    ...tweetColumns(t, geoMode),
    author.createdAt,
    author.url,
    author.friendsCount,
    author.listedCount,
    author.favouritesCount,
    author.statusesCount,
    author.protected,
    author.verified,
    author.screenName,
    author.name,
    author.location,
    author.description,
    author.withheldInCountries,
    others.map((u) => u.id),
    others.map((u) => u.screenName),
    others.map((u) => u.name),
    rows.urls,
    rows.mentions,
    rows.tags,
    rows.media.map((m) => m.url),
    rows.media.map((m) => m.type),
  ];
}

/**
 * Tweets sent on one connection before the loader waits for the oldest to commit. The
 * connection pipelines them: the server runs and commits one while the next ones are
 * already on the wire and the client transforms more (measured: 8 loads ~1.5x faster
 * than 1 in flight; more gains nothing because the server runs them one at a time).
 */
export const PIPELINE_DEPTH = 8;

/** Whether the runner opened `client` pipelined (the loader's `connection` below). */
const pipelined = (client: PgClient): boolean =>
  (client as { pipeline?: boolean }).pipeline === true;

/**
 * How every per-tweet connection is opened (the coordinator's and each node's). Tweets are
 * sent PIPELINE_DEPTH at a time on one connection (the session waits for the oldest); it
 * reads and writes no COPY. One commit per tweet would wait for one WAL flush per tweet
 * (the server's commit rate caps the loader: docs/faults.md "Per-tweet commits"): the
 * journal row of a file is committed synchronously (recordLoadDurably), which flushes every
 * tweet before it; on Citus each node is flushed first (DirectCalls.endFile).
 */
const PER_TWEET_CONNECTION = {
  pipeline: true,
  settings: { synchronous_commit: "off" },
} as const satisfies LoaderConnection;

/**
 * The deliberately per-tweet loader for the constrained schema: each tweet is one call of
 * the server-side function tweetload_load_tweet (created at setup from load-tweet.sql),
 * retried on deadlock or serialization failure.
 */
export const normalizedLoader: Loader = {
  kind: "normalized",
  journalName: "normalized",
  connection: PER_TWEET_CONNECTION,
  async setup(client) {
    const distributed = await isDistributed(client);
    const sql = distributed
      ? await citusFunctionsSql()
      : await readTweetSql(import.meta.url, FUNCTION_FILE);
    // Concurrent CREATE OR REPLACE of one function fails with "tuple concurrently updated".
    await inTransaction(client, () => client.query(sql), {
      first: "SELECT pg_advisory_xact_lock(hashtext('tweetload_load_tweet'))",
    });
  },
  async open(client, options) {
    const geoMode = await detectGeoMode(client);
    const distributed = await isDistributed(client);
    // The function's statements get their array sizes from each call: custom plans would be
    // made anew on every call, so every call runs the generic plans made at the first.
    // Not through the Citus coordinator: its generic plans of these single-shard statements
    // were measured 1.9x slower (600 tweets: 5.2 s against 2.7 s with the default).
    const genericPlans = "SET plan_cache_mode = force_generic_plan";
    if (!distributed) await client.query(genericPlans);
    const depth = pipelined(client) ? PIPELINE_DEPTH : 1;
    if (!distributed) {
      return new PerTweetSession({
        inFlight: depth,
        calls: (rows) => [callOf(client, "tweetload_load_tweet", callValues(rows, geoMode))],
      });
    }
    const routes = await openDirect(
      client,
      options.url,
      "tweets",
      "tweetload normalized",
      async (c) => {
        await c.query(genericPlans);
      },
      // Each node's connection is opened as the coordinator's is.
      { ...PER_TWEET_CONNECTION, pipeline: pipelined(client) },
    );
    if (routes) {
      const template = await groupStatementTemplate();
      return new PerTweetSession(new DirectCalls(client, routes, template, geoMode, depth));
    }
    const mins = await readShardMins(client);
    return new PerTweetSession({
      inFlight: depth,
      calls: (rows) =>
        groupCalls(rows, geoMode, mins).map((values) =>
          callOf(client, "tweetload_load_group", values),
        ),
    });
  },
};
