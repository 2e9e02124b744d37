import { ChunkedText } from "../../transform/chunked-text.js";
import { copyLine } from "../../transform/copy-text.js";
import type { TweetRows } from "../../transform/rows.js";
import { tweetColumns, userColumns } from "../../transform/table-columns.js";
import type { TableCopy } from "../normalized-batch/batch-copy.js";

const copySql = (table: string, columns: string) => `COPY ${table} (${columns}) FROM STDIN`;

const USERS = copySql(
  "stage_users",
  "id_users, created_at, updated_at, url, friends_count, listed_count, favourites_count, " +
    "statuses_count, protected, verified, screen_name, name, location, description, " +
    "withheld_in_countries",
);
const TWEETS = copySql(
  "stage_tweets",
  "id_tweets, id_users, created_at, in_reply_to_status_id, in_reply_to_user_id, " +
    "quoted_status_id, retweet_count, favorite_count, quote_count, withheld_copyright, " +
    "withheld_in_countries, source, text, country_code, state_code, lang, place_name, geo, " +
    "author_url, urls, mentions, tags, media_urls, media_types",
);
const orNull = (items: readonly (string | null)[]) => (items.length > 0 ? items : null);

/**
 * A batch built up tweet by tweet as COPY payloads for the two staging tables of
 * staging.sql. Like the per-tweet loader run in input order: a tweet repeated in the batch
 * counts once (its first occurrence), and each user is staged with its first row among the
 * batch's tweets. Users in `present` (known to be in the database already, whose row
 * therefore stays) are not staged at all. Each tweet becomes COPY text as it is added, so a
 * pending batch is a few Buffers outside the JavaScript heap rather than thousands of
 * objects that every young-generation GC would copy.
 */
export class StagingBatch {
  private readonly users = new ChunkedText();
  private readonly tweets = new ChunkedText();
  /** Every user of the batch's tweets, staged or not. */
  readonly userIds = new Set<string>();
  private readonly seenTweets = new Set<string>();

  constructor(
    private readonly geoMode: "postgis" | "text",
    private readonly present: ReadonlySet<string> = new Set(),
  ) {}

  /** Tweets added, repeats included. */
  size = 0;

  add(rows: TweetRows): void {
    this.size++;
    const t = rows.tweet;
    if (this.seenTweets.has(t.id)) return;
    this.seenTweets.add(t.id);
    for (const u of rows.users) {
      if (this.userIds.has(u.id)) continue;
      this.userIds.add(u.id);
      if (!this.present.has(u.id)) this.users.push(copyLine(userColumns(u)));
    }
    this.tweets.push(
      copyLine([
        ...tweetColumns(t, this.geoMode),
        // users[0] is the tweet's author (see TweetRows)
        rows.users[0]?.url ?? null,
        orNull(rows.urls),
        orNull(rows.mentions),
        orNull(rows.tags),
        orNull(rows.media.map((m) => m.url)),
        orNull(rows.media.map((m) => m.type)),
      ]),
    );
  }

  /** The COPYs of the batch, empty tables left out. */
  copies(): TableCopy[] {
    return [
      { table: "stage_users", sql: USERS, data: this.users.take(true) },
      { table: "stage_tweets", sql: TWEETS, data: this.tweets.take(true) },
    ].filter((c) => c.data.length > 0);
  }
}

/** The COPYs of a whole batch at once (see StagingBatch). */
export function stagingCopies(
  batch: readonly TweetRows[],
  geoMode: "postgis" | "text",
  present: ReadonlySet<string> = new Set(),
): TableCopy[] {
  const staging = new StagingBatch(geoMode, present);
  for (const rows of batch) staging.add(rows);
  return staging.copies();
}
