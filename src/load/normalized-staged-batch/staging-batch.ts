import { ChunkedText } from "../../transform/chunked-text.js";
import { copyLine } from "../../transform/copy-text.js";
import type { GeoMode } from "../../transform/geo.js";
import type { TweetRows } from "../../transform/rows.js";
import {
  TWEET_COLUMN_NAMES,
  tweetColumns,
  USER_COLUMN_NAMES,
  userColumns,
} from "../../transform/table-columns.js";
import { outranks, type SnapshotRank } from "../../transform/user-snapshot.js";
import { copySql, type RowSource, type TableCopy } from "../normalized-batch-copy/batch-copy.js";

const TWEETS = copySql(
  "stage_tweets",
  `${TWEET_COLUMN_NAMES}, urls, mentions, tags, media_urls, media_types`,
);
const USERS = copySql("stage_users", USER_COLUMN_NAMES);

const orNull = (items: readonly (string | null)[]) => (items.length > 0 ? items : null);

/**
 * A batch built up tweet by tweet: the COPYs of its users and of its tweets into
 * staging.sql's tables, and its urls for urls.sql. A tweet repeated in the batch counts
 * once (its first occurrence). Each user is staged with the snapshot that ranks highest
 * among the batch's tweets (user-snapshot.ts); users.sql then keeps, per user, the higher
 * of it and the row held, so the result is the highest of all whatever the batches. Each
 * tweet becomes COPY text as it is added, so a pending batch is a few Buffers outside the
 * JavaScript heap rather than thousands of objects that every young-generation GC would
 * copy; users are one COPY line each until the batch is sent.
 */
export class StagingBatch {
  /** Each user's best snapshot so far, as its COPY line, and the line it came from. */
  private readonly users = new Map<
    string,
    { rank: SnapshotRank; line: string; source: RowSource | undefined }
  >();
  /** The tweets' COPY lines and their lines, per node (one key, '', where not spread). */
  private readonly tweets = new Map<string, Staged>();
  /** The urls of each tweet (author url, links, media) as [tweet id, url] pairs. */
  private readonly pairs: { ids: string[]; urls: string[] } = { ids: [], urls: [] };
  private readonly seenTweets = new Set<string>();

  constructor(
    private readonly geoMode: GeoMode,
    /**
     * On Citus: the node holding a tweet's or user's row (its id) and a url's (its
     * tweetload_url_id), so that each node gets its own share of the batch.
     */
    private readonly route?: { id(id: string): string; url(url: string): string },
  ) {}

  /** Tweets added, repeats included. */
  size = 0;

  /** Adds a tweet; with `source`, a row the server refuses can be traced to its line. */
  add(rows: TweetRows, source?: RowSource): void {
    this.size++;
    const t = rows.tweet;
    if (this.seenTweets.has(t.id)) return;
    this.seenTweets.add(t.id);
    rows.users.forEach((u, i) => {
      // users[0] is the author, the only hydrated row (see TweetRows).
      const rank = { hydrated: i === 0, updatedAt: u.updatedAt, tweetId: t.id };
      const held = this.users.get(u.id);
      if (held && !outranks(rank, held.rank)) return;
      const line = copyLine(userColumns(u, t.id, rank.hydrated));
      this.users.set(u.id, { rank, line, source });
    });
    // users[0] is the tweet's author (see TweetRows): every new tweet's author url goes into
    // urls, even when the user row is an earlier one.
    const authorUrl = rows.users[0]?.url ?? null;
    if (authorUrl !== null) this.addUrl(t.id, authorUrl);
    for (const url of rows.urls) this.addUrl(t.id, url);
    for (const m of rows.media) this.addUrl(t.id, m.url);
    const node = this.route?.id(t.id) ?? "";
    const staged = stagedOf(this.tweets, node);
    staged.sources.push(source);
    staged.text.push(
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
    this.pairs.ids.push(tweetId);
    this.pairs.urls.push(url);
  }

  /** The batch's (tweet id, url) pairs for urls.sql, per node. */
  tweetUrls(): Map<string, { ids: string[]; urls: string[] }> {
    const out = new Map<string, { ids: string[]; urls: string[] }>();
    this.pairs.urls.forEach((url, i) => {
      const node = this.route?.url(url) ?? "";
      let pairs = out.get(node);
      if (!pairs) {
        pairs = { ids: [], urls: [] };
        out.set(node, pairs);
      }
      pairs.ids.push(this.pairs.ids[i] as string);
      pairs.urls.push(url);
    });
    return out;
  }

  /** The COPY of the batch's users into stage_users, per node. */
  usersCopies(): Map<string, TableCopy> {
    const staged = new Map<string, Staged>();
    for (const [id, { line, source }] of this.users) {
      const at = stagedOf(staged, this.route?.id(id) ?? "");
      at.text.push(line);
      at.sources.push(source);
    }
    return copiesOf("stage_users", USERS, staged);
  }

  /** The COPY of the batch's tweets into stage_tweets, per node. */
  tweetsCopies(): Map<string, TableCopy> {
    return copiesOf("stage_tweets", TWEETS, this.tweets);
  }
}

/** COPY lines bound for one node, with the line each came from (undefined: not known). */
interface Staged {
  text: ChunkedText;
  sources: (RowSource | undefined)[];
}

function stagedOf(map: Map<string, Staged>, node: string): Staged {
  let staged = map.get(node);
  if (!staged) {
    staged = { text: new ChunkedText(), sources: [] };
    map.set(node, staged);
  }
  return staged;
}

function copiesOf(table: string, sql: string, staged: Map<string, Staged>) {
  const out = new Map<string, TableCopy>();
  for (const [node, { text, sources }] of staged) {
    const data = text.take(true);
    if (data.length === 0) continue;
    const known = sources.every((s) => s !== undefined);
    out.set(
      node,
      known ? { table, sql, data, sources: sources as RowSource[] } : { table, sql, data },
    );
  }
  return out;
}
