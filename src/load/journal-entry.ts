import type { FileIdentity } from "../input/file-identity.js";

/** Who a file is to the journal: its path and content, and the loader that loads it. */
export interface JournalEntry extends FileIdentity {
  loader: string;
}

/** A file's row in tweetload.journal. */
export interface JournalRow {
  /** The resolved path it was loaded from; null for rows written before paths were kept. */
  path: string | null;
  size: number;
  contentHash: string;
  tweets: number;
  rejects: number;
  finishedAt: Date;
  loader: string;
}

/** What a loader needs to keep the journal. */
export interface JournalHook {
  entry: JournalEntry;
  /** Load the file even when the journal lists it (its rows then sit beside the earlier ones). */
  force: boolean;
  /** Remove the rows of the earlier load of this path (tweetload.forget_load) before loading. */
  replace?: boolean;
  /**
   * Runs just before the commit that records the file: what must outlive that commit (the
   * reject file) is made durable here. A throw fails the file before it commits.
   */
  beforeCommit?(): void;
  /** Told how many tweet rows `replace` removed. */
  onReplaced?(removed: number): void;
}
