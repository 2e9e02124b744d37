import type pg from "pg";
import type { DbKind } from "../db/kinds.js";
import type { SessionSettings } from "../db/session-settings.js";
import type { InputLine, InputOptions } from "../input/types.js";
import type { NoticeCounts } from "../transform/notices.js";
import type { JournalHook } from "./journal-entry.js";

/** The part of a pg client the loaders use: one dedicated connection, queries and COPY. */
export type PgClient = pg.ClientBase;

/** A line the loader could not load: what the reject files record. */
export interface Rejected extends InputLine {
  error: string;
  /** For a tweet of a v2 page: its index in the page's `data` (`text` is then that tweet). */
  index?: number;
}

/** How a loader's connections are opened. */
export interface LoaderConnection {
  /**
   * Send queries without waiting for the answers of those before (node-postgres' client
   * option; every query on the connection is then pipelined, so a loader that COPYs must
   * not ask for it).
   */
  pipeline?: boolean;
  /** Session settings each connection gets before the loader opens a session on it. */
  settings?: SessionSettings;
}

/** Settings of one loader session (one connection). */
export interface LoaderOptions {
  /** Tweets per batch for loaders that batch (normalized_batch); others ignore it. */
  batchSize: number;
  /**
   * The URL the session's connection was opened with. On Citus the loaders reach every
   * node with its user, password and settings; without it they go through the coordinator.
   */
  url?: string;
}

/** Callbacks of one file's load; all optional and cheap. */
export interface FileHooks {
  /** Called with the file's running tweet count after each batch of lines. */
  onProgress?(tweets: number): void;
  /** Called for each line that is not a tweet; without it such a line fails the file. */
  onReject?(line: Rejected): void;
  /**
   * The file's journal entry. Sessions with `atomicFiles` record it in the file's own
   * transaction (and skip a file finished meanwhile); for the others the runner records it
   * after loadFile returns.
   */
  journal?: JournalHook;
  /** How the file is read (line limit; skipped members are told here). */
  input?: InputOptions;
  /**
   * Sessions without `atomicFiles` call it with the file's running count of tweets
   * committed (each commit acknowledged), so that a file that fails midway can report
   * exactly what of it is in the database.
   */
  onCommitted?(tweets: number): void;
  /**
   * Sessions with `atomicFiles` call it with the file's final counts just before the
   * commit; it throws to fail the file (too many rejects for a share, no tweet at all).
   */
  accept?(result: FileResult): void;
}

/** What one file contributed. */
export interface FileResult {
  /** Tweet lines taken from the file (tweets already in the database included). */
  tweets: number;
  /** Lines handed to onReject. */
  rejects: number;
  /** Stream notices skipped, per kind (absent or empty: none). */
  notices?: NoticeCounts;
  /** Transactions repeated after a deadlock or serialization failure, where counted. */
  retries?: number;
  /** True when the journal showed, inside the file's transaction, that it was already loaded. */
  skipped?: boolean;
}

/** A loader bound to one open connection; loads files one after another on it. */
export interface LoaderSession {
  /** Loads one archive. Atomic per file for the COPY loaders, per tweet for normalized. */
  loadFile(file: string, hooks?: FileHooks): Promise<FileResult>;
  /**
   * True when a file is one transaction that also writes `hooks.journal`: a failure at any
   * point leaves nothing of the file. Otherwise each write must be idempotent (a re-run
   * loads the file again and changes nothing that is already there).
   */
  readonly atomicFiles?: boolean;
  /** Closes what the session opened beside its connection (the Citus nodes' connections). */
  close?(): Promise<void>;
}

/**
 * One way of loading tweets into one kind of database. The runner only knows this
 * interface: it opens a session per connection and hands it files.
 */
export interface Loader {
  readonly kind: DbKind;
  /**
   * What tweetload.journal.loader records for a file this loader loaded. Rows written by
   * earlier versions carry these same names, so they never change.
   */
  readonly journalName: string;
  /**
   * Prepares the database once before any session opens (e.g. creates server-side
   * functions). Must be safe when several tweetload processes do it at the same time.
   */
  setup?(client: PgClient): Promise<void>;
  /** How the runner opens this loader's connections (and the loader its Citus nodes'). */
  readonly connection?: LoaderConnection;
  /** Prepares a connection (server-side functions, geo mode) and returns a session on it. */
  open(client: PgClient, options: LoaderOptions): Promise<LoaderSession>;
}
