import { ChunkedText } from "../../transform/chunked-text.js";
import { copyLine } from "../../transform/copy-text.js";
import type { TweetRows } from "../../transform/rows.js";
import {
  TWEET_COLUMN_NAMES,
  tweetColumns,
  USER_COLUMN_NAMES,
  userColumns,
} from "../../transform/table-columns.js";
import { copySql, type TableCopy } from "../normalized-batch/batch-copy.js";

const TWEETS = copySql(
  "stage_tweets",
  `${TWEET_COLUMN_NAMES}, urls, mentions, tags, media_urls, media_types`,
);
const USERS = copySql("stage_users", USER_COLUMN_NAMES);

const orNull = (items: readonly (string | null)[]) => (items.length > 0 ? items : null);

/**
 * A batch built up tweet by tweet: the COPYs of its new users and of its tweets into
 * staging.sql's tables, and its urls for urls.sql. Like the per-tweet loader run in input
 * order: a tweet repeated in the batch counts once (its first occurrence), and each user is
 * staged with its first row among the batch's tweets. Users in `present` (known to be in
 * the database already, whose row therefore stays) are not staged at all. Each tweet
 * becomes COPY text as it is added, so a pending batch is a few Buffers outside the
 * JavaScript heap rather than thousands of objects that every young-generation GC would
 * copy.
 */
export class StagingBatch {
  /** Each new user's first row. */
  private readonly users = new ChunkedText();
  private readonly tweets = new ChunkedText();
  /** Every user of the batch's tweets, staged or not. */
  readonly userIds = new Set<string>();
  /** The urls of each tweet (author url, links, media) as [tweet id, url] pairs. */
  readonly tweetUrls: { ids: string[]; urls: string[] } = { ids: [], urls: [] };
  private readonly seenTweets = new Set<string>();

  constructor(
    private readonly geoMode: "postgis" | "text",
    private readonly present: { has(id: string): boolean } = new Set(),
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
    // users[0] is the tweet's author (see TweetRows): every new tweet's author url goes into
    // urls, even when the user row is an earlier one.
    const authorUrl = rows.users[0]?.url ?? null;
    if (authorUrl !== null) this.addUrl(t.id, authorUrl);
    for (const url of rows.urls) this.addUrl(t.id, url);
    for (const m of rows.media) this.addUrl(t.id, m.url);
    this.tweets.push(
      copyLine([
        ...tweetColumns(t, this.geoMode),
        orNull(rows.urls),
        orNull(rows.mentions),
        orNull(rows.tags),
        orNull(rows.media.map((m) => m.url)),
        orNull(rows.media.map((m) => m.type)),
      ]),
    );
  }

  private addUrl(tweetId: string, url: string): void {
    this.tweetUrls.ids.push(tweetId);
    this.tweetUrls.urls.push(url);
  }

  /** The COPY of the batch's new users into stage_users; null when there are none. */
  usersCopy(): TableCopy | null {
    return copyOf("stage_users", USERS, this.users);
  }

  /** The COPY of the batch's tweets into stage_tweets; null when there are none. */
  tweetsCopy(): TableCopy | null {
    return copyOf("stage_tweets", TWEETS, this.tweets);
  }
}

function copyOf(table: string, sql: string, text: ChunkedText): TableCopy | null {
  const data = text.take(true);
  return data.length > 0 ? { table, sql, data } : null;
}
