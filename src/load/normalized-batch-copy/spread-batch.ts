import type { GeoMode } from "../../transform/geo.js";
import type { TweetRows } from "../../transform/rows.js";
import { tweetUserColumns } from "../../transform/table-columns.js";
import { BatchCopies, type RowSource, type TableCopy } from "./batch-copy.js";

/**
 * A batch of pg_normalized_batch on Citus, split by node: each tweet's rows (and its links)
 * go with the tweet's shard group, each user row with the user's, as `route` says for a
 * distribution key (null: that group's part of the file is committed already).
 */
export class SpreadBatchCopies {
  private readonly byNode = new Map<string, BatchCopies>();
  /** Tweets added since the last take. */
  size = 0;

  constructor(
    private readonly geoMode: GeoMode,
    private readonly route: (key: string) => string | null,
  ) {}

  private copies(node: string): BatchCopies {
    let copies = this.byNode.get(node);
    if (!copies) {
      copies = new BatchCopies(this.geoMode);
      this.byNode.set(node, copies);
    }
    return copies;
  }

  /** Adds a tweet's rows; with `source`, a row the server refuses can be traced to its line. */
  add(rows: TweetRows, source?: RowSource): void {
    this.size++;
    for (const user of tweetUserColumns(rows)) {
      const at = this.route(user.id);
      if (at !== null) this.copies(at).addUser(user.columns, source);
    }
    const node = this.route(rows.tweet.id);
    if (node !== null) this.copies(node).addTweet(rows, source);
  }

  /** Each node's COPYs of the batch, and a fresh start for the next. */
  take(): Map<string, TableCopy[]> {
    const out = new Map<string, TableCopy[]>();
    for (const [node, copies] of this.byNode) {
      const taken = copies.take();
      if (taken.length > 0) out.set(node, taken);
    }
    this.size = 0;
    return out;
  }
}
