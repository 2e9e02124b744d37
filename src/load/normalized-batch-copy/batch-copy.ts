import { ChunkedText } from "../../transform/chunked-text.js";
import { type CopyValue, copyLine } from "../../transform/copy-text.js";
import type { GeoMode } from "../../transform/geo.js";
import type { TweetRows } from "../../transform/rows.js";
import {
  TWEET_COLUMN_NAMES,
  tweetColumns,
  tweetUserColumns,
  USER_COLUMN_NAMES,
} from "../../transform/table-columns.js";

/** Where a COPY row came from: the line, and for a tweet of a v2 page its index in `data`. */
export interface RowSource {
  member: string | null;
  lineNo: number;
  index?: number;
}

/** One COPY of a batch: the statement and its text-format payload. */
export interface TableCopy {
  table: string;
  sql: string;
  /** Text-format rows as UTF-8 chunks (small ones: see ChunkedText). */
  data: Buffer[];
  /** The source of each row, in order, when the batch was given them: a refused row's line. */
  sources?: RowSource[];
}

export const copySql = (table: string, columns: string) => `COPY ${table} (${columns}) FROM STDIN`;

const TABLES = {
  users: copySql("users", USER_COLUMN_NAMES),
  tweets: copySql("tweets", TWEET_COLUMN_NAMES),
  tweet_urls: copySql("tweet_urls", "id_tweets, url"),
  tweet_mentions: copySql("tweet_mentions", "id_tweets, id_users"),
  tweet_tags: copySql("tweet_tags", "id_tweets, tag"),
  tweet_media: copySql("tweet_media", "id_tweets, url, type"),
} as const;

type Table = keyof typeof TABLES;

/**
 * Collects a batch of tweets as COPY text payloads for the constraint-free batch schema,
 * one per table. Each tweet becomes text as soon as it is added, so no row objects outlive
 * it (they would be promoted to the old generation and cost full GCs).
 *
 * Every tweet line is its rows: a tweet on n lines of a file is n rows of tweets and of
 * each link table, whatever the batch size (as in pg_denormalized, one row per line).
 * Dropping repeats only inside a batch made the row count depend on --batch-size (1, 628
 * or 62,792 rows of one file at 1e9, 1000 or 10), and dropping them across a whole file
 * would need a set of every id of a file of any size. The schema allows repeats and the
 * views and checker queries count distinct tweets. Every user row of every tweet is
 * written too: the database keeps every snapshot, and queries pick one per user by the
 * snapshot rule (docs/contract/tweet-to-rows.md, "Users: which snapshot").
 */
export class BatchCopies {
  private out = this.fresh();
  private sources = this.freshSources();
  /** Tweets added since the last take (repeats included). */
  size = 0;

  constructor(private readonly geoMode: GeoMode) {}

  private fresh(): Record<Table, ChunkedText> {
    return {
      users: new ChunkedText(),
      tweets: new ChunkedText(),
      tweet_urls: new ChunkedText(),
      tweet_mentions: new ChunkedText(),
      tweet_tags: new ChunkedText(),
      tweet_media: new ChunkedText(),
    };
  }

  private freshSources(): Record<Table, RowSource[]> {
    return {
      users: [],
      tweets: [],
      tweet_urls: [],
      tweet_mentions: [],
      tweet_tags: [],
      tweet_media: [],
    };
  }

  private push(table: Table, line: string, source: RowSource | undefined): void {
    this.out[table].push(line);
    if (source) this.sources[table].push(source);
  }

  /** Adds a tweet's rows; with `source`, a row the server refuses can be traced to its line. */
  add(rows: TweetRows, source?: RowSource): void {
    for (const user of tweetUserColumns(rows)) this.addUser(user.columns, source);
    this.addTweet(rows, source);
  }

  /** A user row alone (on Citus a tweet's users may live on other nodes than the tweet). */
  addUser(columns: CopyValue[], source?: RowSource): void {
    this.push("users", copyLine(columns), source);
  }

  /** A tweet's own rows: the tweet and its links, without its users. */
  addTweet(rows: TweetRows, source?: RowSource): void {
    this.size++;
    const t = rows.tweet;
    const push = (table: Table, line: string) => this.push(table, line, source);
    push("tweets", copyLine(tweetColumns(t, this.geoMode)));
    for (const url of rows.urls) push("tweet_urls", copyLine([t.id, url]));
    for (const id of rows.mentions) push("tweet_mentions", copyLine([t.id, id]));
    for (const tag of rows.tags) push("tweet_tags", copyLine([t.id, tag]));
    for (const m of rows.media) push("tweet_media", copyLine([t.id, m.url, m.type]));
  }

  /** The batch's COPYs (tables with rows only), and a fresh start for the next batch. */
  take(): TableCopy[] {
    const out = this.out;
    const sources = this.sources;
    this.out = this.fresh();
    this.sources = this.freshSources();
    this.size = 0;
    return (Object.keys(TABLES) as Table[])
      .map((table) => ({
        table,
        sql: TABLES[table],
        data: out[table].take(true),
        sources: sources[table],
      }))
      .filter((c) => c.data.length > 0);
  }
}

/** A whole batch at once (tests, small callers). */
export function batchCopies(batch: readonly TweetRows[], geoMode: GeoMode): TableCopy[] {
  const copies = new BatchCopies(geoMode);
  for (const rows of batch) copies.add(rows);
  return copies.take();
}
