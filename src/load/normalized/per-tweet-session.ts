import { corkForTurn } from "../../db/cork-for-turn.js";
import { errorKind } from "../../errors.js";
import { IN_FLIGHT_BYTES } from "../../input/memory-bounds.js";
import { readLineBatches } from "../../input/read-lines.js";
import type { TweetRows } from "../../transform/rows.js";
import { allSettledOrThrow } from "../all-settled.js";
import type { FileHooks, LoaderSession, PgClient } from "../loader.js";
import { retryTransaction } from "../retry.js";
import { newTally, refusedRecord, type SourcedRows, tweetsOfLines } from "../rows-of-lines.js";

/** A named statement and its values: one autocommitted call, on the connection it goes to. */
export interface Call {
  client: PgClient;
  name: string;
  text: string;
  values: unknown[];
}

/** Where a session sends a tweet's calls. */
export interface CallRouter {
  /** The calls that load one tweet, in order; the last one commits the tweet itself. */
  calls(rows: TweetRows): Call[] | Promise<Call[]>;
  /** Tweets a session keeps in flight: the pipeline depth times its connections. */
  readonly inFlight: number;
  /**
   * Whether a failed tweet may be sent again: its shard moved, and the router has read the
   * placement again (the calls are idempotent).
   */
  moved?(error: unknown): Promise<boolean>;
  /** Runs before a file's first call (the file's load id on every connection). */
  beginFile?(loadId: string | undefined): Promise<void>;
  /**
   * Runs once the file's calls are all acknowledged, before its journal row: makes every
   * connection's commits durable (the journal row's own flush covers only its node).
   */
  endFile?(): Promise<void>;
  close?(): Promise<void>;
}

/** Times a tweet is sent again after its shard moved, before the file fails. */
const MOVES = 5;

/**
 * Loads a file tweet by tweet, each tweet its calls (one per shard group on Citus), each
 * call its own transaction, many tweets in flight. A tweet's last call (its own row) goes
 * once the others are acknowledged, unless they all share its connection, which runs them
 * in order anyway: its users and urls are then committed before it.
 */
export class PerTweetSession implements LoaderSession {
  constructor(private readonly router: CallRouter) {}

  private async send(call: Call): Promise<void> {
    await retryTransaction(() => {
      // The calls sent this turn leave in one socket write (cork-for-turn.ts).
      corkForTurn(call.client);
      return call.client.query(call);
    });
  }

  private async loadTweet(rows: TweetRows): Promise<void> {
    for (let moves = 0; ; moves++) {
      const calls = await this.router.calls(rows);
      const last = calls[calls.length - 1] as Call;
      try {
        if (calls.every((c) => c.client === last.client)) {
          await allSettledOrThrow(calls.map((c) => this.send(c)));
        } else {
          await allSettledOrThrow(calls.slice(0, -1).map((c) => this.send(c)));
          await this.send(last);
        }
        return;
      } catch (error) {
        if (moves < MOVES && (await this.router.moved?.(error))) continue;
        throw error;
      }
    }
  }

  async loadFile(file: string, hooks: FileHooks = {}) {
    const tally = newTally();
    let tweets = 0;
    let committed = 0;
    // Tweets in flight, oldest first, with the bytes of line each holds; the first failure
    // stops the file. Eight tweets near the line limit in flight at once were eight times
    // its memory: past IN_FLIGHT_BYTES the oldest are awaited first.
    const inFlight: { call: Promise<void>; bytes: number }[] = [];
    let inFlightBytes = 0;
    const awaitOldest = async () => {
      const oldest = inFlight.shift();
      inFlightBytes -= oldest?.bytes ?? 0;
      await oldest?.call;
    };
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
    await this.router.beginFile?.(hooks.journal?.entry.loadId);
    try {
      for await (const batch of readLineBatches(file, { ...hooks.input, byteStrings: true })) {
        for (const line of batch) {
          // A v2 page's tweets share its bytes.
          const sources = [...tweetsOfLines([line], hooks, tally)];
          const share = line.text.length / Math.max(1, sources.length);
          for (const source of sources) {
            while (
              inFlight.length >= this.router.inFlight ||
              (inFlight.length > 0 && inFlightBytes + share > IN_FLIGHT_BYTES)
            ) {
              await awaitOldest();
            }
            if (failure) throw failure.error;
            inFlight.push({
              call: this.loadTweet(source.rows).then(
                () => hooks.onCommitted?.(++committed),
                (error: unknown) => {
                  if (hooks.onReject && errorKind(error) === "data") refuse(source, error);
                  else failure ??= { error };
                },
              ),
              bytes: share,
            });
            inFlightBytes += share;
            tweets++;
          }
        }
        hooks.onProgress?.(tweets);
      }
    } finally {
      // Never leave calls running when the file ends, fails or is rejected.
      await Promise.all(inFlight.map((f) => f.call));
    }
    if (failure) throw failure.error;
    await this.router.endFile?.();
    return { tweets, rejects: tally.rejects, notices: tally.notices };
  }

  async close(): Promise<void> {
    await this.router.close?.();
  }
}
