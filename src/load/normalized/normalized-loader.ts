import { isDistributed } from "../../db/citus.js";
import { detectGeoMode } from "../../db/schema.js";
import { readSqlFile } from "../../db/sql-file.js";
import { errorKind } from "../../errors.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { GeoMode } from "../../transform/geo.js";
import type { TweetRows } from "../../transform/rows.js";
import { tweetColumns } from "../../transform/table-columns.js";
import type { FileHooks, Loader, LoaderSession, PgClient } from "../loader.js";
import { retryTransaction } from "../retry.js";
import { newTally, refusedRecord, type SourcedRows, tweetsOfLines } from "../rows-of-lines.js";
import { groupCalls, readShardMins } from "./shard-groups.js";

const FUNCTION_FILE = "load-tweet.sql";
/** Its form for a pg_normalized distributed over Citus (services/citus/pg_normalized.sql). */
const CITUS_FUNCTION_FILE = "load-tweet-citus.sql";

/**
 * The call of server function `name` with `values`, as a named (prepared) statement whose
 * placeholders are counted from the values: the arguments are listed once, where they are
 * made, and a function that gains one needs no count changed.
 */
function callOf(name: string, values: unknown[]): Call {
  let text = CALL_TEXTS.get(name);
  if (text === undefined) {
    text = `SELECT ${name}(${values.map((_, i) => `$${i + 1}`).join(",")})`;
    CALL_TEXTS.set(name, text);
  }
  return { name, text, values };
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

/** A named statement and its values: one autocommitted call. */
type Call = { name: string; text: string; values: unknown[] };

/** The calls that load one tweet, in order; the last one commits the tweet itself. */
type TweetCalls = (rows: TweetRows) => Call[];

class NormalizedSession implements LoaderSession {
  constructor(
    private readonly client: PgClient,
    private readonly callsOf: TweetCalls,
    private readonly depth: number,
  ) {}

  async loadFile(file: string, hooks: FileHooks = {}) {
    const tally = newTally();
    let tweets = 0;
    let committed = 0;
    // Calls in flight, oldest first. Each is its own autocommit transaction (its own Sync),
    // so one that fails does not affect the others; the first failure stops the file.
    const inFlight: Promise<void>[] = [];
    let failure: { error: unknown } | undefined;
    // A tweet whose values the server refuses (docs/line-rules.md: none the rules accept is
    // known, but a database's encoding or a user's constraint can) is that line's reject,
    // and the file goes on: stopping would stop every re-run at the same line.
    const refuse = (source: SourcedRows, error: unknown) => {
      tweets--;
      tally.rejects++;
      try {
        hooks.onReject?.(
          refusedRecord(source, `refused by PostgreSQL: ${(error as Error).message}`),
        );
      } catch (tooMany) {
        failure ??= { error: tooMany };
      }
    };
    const send = (call: Call, last: boolean, source: SourcedRows, state: { refused: boolean }) =>
      retryTransaction(() => this.client.query(call)).then(
        () => {
          if (last && !state.refused) hooks.onCommitted?.(++committed);
        },
        (error: unknown) => {
          if (hooks.onReject && errorKind(error) === "data") {
            if (!state.refused) refuse(source, error);
            state.refused = true;
          } else {
            failure ??= { error };
          }
        },
      );
    try {
      for await (const batch of readLineBatches(file, { ...hooks.input, byteStrings: true })) {
        for (const source of tweetsOfLines(batch, hooks, tally)) {
          const calls = this.callsOf(source.rows);
          const state = { refused: false };
          for (const [i, call] of calls.entries()) {
            if (inFlight.length >= this.depth) await inFlight.shift();
            if (failure) throw failure.error;
            inFlight.push(send(call, i === calls.length - 1, source, state));
          }
          tweets++;
        }
        hooks.onProgress?.(tweets);
      }
    } finally {
      // Never leave calls running when the file ends, fails or is rejected.
      await Promise.all(inFlight);
    }
    if (failure) throw failure.error;
    return { tweets, rejects: tally.rejects, notices: tally.notices };
  }
}

/**
 * The deliberately per-tweet loader for the constrained schema: each tweet is one call of
 * the server-side function tweetload_load_tweet (created at setup from load-tweet.sql),
 * retried on deadlock or serialization failure.
 */
export const normalizedLoader: Loader = {
  kind: "normalized",
  journalName: "normalized",
  // Tweets are sent PIPELINE_DEPTH at a time on one connection (the session waits for
  // the oldest); it reads and writes no COPY.
  connection: { pipeline: true },
  async setup(client) {
    const distributed = await isDistributed(client);
    const sql = await readSqlFile(
      import.meta.url,
      distributed ? CITUS_FUNCTION_FILE : FUNCTION_FILE,
    );
    // Concurrent CREATE OR REPLACE of one function fails with "tuple concurrently updated".
    await client.query("BEGIN");
    try {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('tweetload_load_tweet'))");
      await client.query(sql);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
  },
  async open(client) {
    const geoMode = await detectGeoMode(client);
    // The function's statements get their array sizes from each call: custom plans would be
    // made anew on every call, so every call runs the generic plans made at the first.
    // Not on Citus: its generic plans of these single-shard statements were measured 1.9x
    // slower (600 tweets: 5.2 s against 2.7 s with the default).
    const distributed = await isDistributed(client);
    if (!distributed) {
      await client.query("SET plan_cache_mode = force_generic_plan");
    }
    // One commit per tweet would wait for one WAL flush per tweet (the server's commit rate
    // caps the loader: docs/faults.md "Per-tweet commits"). The journal row of a file is
    // committed synchronously (recordLoadDurably), which flushes every tweet before it.
    await client.query("SET synchronous_commit = off");
    // The runner opens this loader's connections pipelined (`connection` below).
    const depth = (client as { pipeline?: boolean }).pipeline ? PIPELINE_DEPTH : 1;
    if (distributed) {
      const mins = await readShardMins(client);
      const calls = (rows: TweetRows) =>
        groupCalls(rows, geoMode, mins).map((values) => callOf("tweetload_load_group", values));
      return new NormalizedSession(client, calls, depth);
    }
    return new NormalizedSession(
      client,
      (rows) => [callOf("tweetload_load_tweet", callValues(rows, geoMode))],
      depth,
    );
  },
};
