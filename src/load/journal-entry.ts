import type { FileIdentity } from "../input/file-identity.js";

/** Who a file is to the journal: its path and content, and the loader that loads it. */
export interface JournalEntry extends FileIdentity {
  loader: string;
}

/**
 * A file's row in tweetload.journal, or (`unfinished`) the chunk rows of a load of its path
 * that did not finish.
 */
export interface JournalRow {
  /** The resolved path it was loaded from; null for rows written before paths were kept. */
  path: string | null;
  /** Unknown (0) for an unfinished load: chunk rows do not keep the file's size. */
  size: number;
  contentHash: string;
  tweets: number;
  rejects: number;
  /** When it finished; for an unfinished load, when its first chunk committed. */
  finishedAt: Date;
  loader: string;
  unfinished?: true;
}

/**
 * A chunk of a file loaded in parallel (tweetload.journal_chunks): chunk `index` of
 * `member` ('' for a plain file), lines firstLine .. firstLine+lines-1, cut `chunkLines`
 * lines at a time.
 */
export interface ChunkKey {
  member: string;
  index: number;
  chunkLines: number;
  firstLine: number;
  lines: number;
}

/** What a loader needs to keep the journal. */
export interface JournalHook {
  entry: JournalEntry;
  /**
   * Set when the load is one chunk of the file: the transaction locks, checks and records
   * that chunk (journal-chunks.ts) instead of the whole file.
   */
  chunk?: ChunkKey;
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
  /** Told (once) that the load waits for another load of the same content to end. */
  onWait?(): void;
}
