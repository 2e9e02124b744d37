import { readFile } from "node:fs/promises";
import { detectGeoMode } from "../../db/schema.js";
import { readLineBatches } from "../../input/read-lines.js";
import { projectPath } from "../../paths.js";
import { geoForMode } from "../../transform/geo.js";
import type { TweetRows } from "../../transform/rows.js";
import type { FileHooks, Loader, LoaderSession, PgClient } from "../loader.js";
import { retryTransaction } from "../retry.js";
import { rowsOfLines } from "../rows-of-lines.js";

const FUNCTION_FILE = projectPath("src", "load", "normalized", "load-tweet.sql");

const CALL = {
  name: "tweetload_load_tweet",
  text: `SELECT tweetload_load_tweet(${Array.from({ length: 39 }, (_, i) => `$${i + 1}`).join(",")})`,
};

/** The 39 arguments of tweetload_load_tweet, in its order. */
export function callValues(rows: TweetRows, geoMode: "postgis" | "text"): unknown[] {
  const t = rows.tweet;
  const [author, ...others] = rows.users;
  if (!author) throw new Error("a tweet without its author row");
  return [
    t.id,
    t.userId,
    t.createdAt,
    t.inReplyToStatusId,
    t.inReplyToUserId,
    t.quotedStatusId,
    t.retweetCount,
    t.favoriteCount,
    t.quoteCount,
    t.withheldCopyright,
    t.withheldInCountries,
    t.source,
    t.text,
    t.countryCode,
    t.stateCode,
    t.lang,
    t.placeName,
    geoForMode(t.geo, geoMode),
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

class NormalizedSession implements LoaderSession {
  constructor(
    private readonly client: PgClient,
    private readonly geoMode: "postgis" | "text",
  ) {}

  async loadFile(file: string, hooks: FileHooks = {}) {
    const rejected = { count: 0 };
    let tweets = 0;
    // The previous tweet's call, still in flight while the next tweet is transformed.
    let inFlight: Promise<unknown> | undefined;
    for await (const batch of readLineBatches(file)) {
      for (const rows of rowsOfLines(batch, hooks, rejected)) {
        const values = callValues(rows, this.geoMode);
        await inFlight;
        // One statement in autocommit: one tweet, one transaction, one round trip.
        inFlight = retryTransaction(() => this.client.query({ ...CALL, values }));
        // Never left unhandled while the next line is read; the error surfaces at await.
        inFlight.catch(() => {});
        tweets++;
      }
      await inFlight;
      hooks.onProgress?.(tweets);
    }
    await inFlight;
    return { tweets, rejects: rejected.count };
  }
}

/**
 * The deliberately per-tweet loader for the constrained schema: each tweet is one call of
 * the server-side function tweetload_load_tweet (created at setup from load-tweet.sql),
 * retried on deadlock or serialization failure.
 */
export const normalizedLoader: Loader = {
  kind: "normalized",
  async setup(client) {
    const sql = await readFile(FUNCTION_FILE, "utf8");
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
  open: async (client) => new NormalizedSession(client, await detectGeoMode(client)),
};
