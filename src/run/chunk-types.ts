import type { ChunkInput } from "../input/types.js";
import type { ChunkKey, JournalEntry } from "../load/journal-entry.js";
import type { NoticeCounts } from "../transform/notices.js";

/** A chunk a worker loads: its lines, its journal key and the file's shared reject count. */
export interface ChunkWork {
  input: ChunkInput;
  key: ChunkKey;
  entry: JournalEntry;
  /** One Int32: the file's rejects so far over all its chunks (see ChunkRejects). */
  fileRejects: SharedArrayBuffer;
  /** The file's first chunk (TWEETLOAD_TRACE marks where the file's loading starts). */
  first: boolean;
}

/**
 * How a chunk ended. `loaded`: committed with its journal row; `skipped`: another load
 * had journaled it; `failed`: not committed (`tweets` of it may be in the database when
 * its loader commits as it goes).
 */
export interface ChunkReport {
  status: "loaded" | "skipped" | "failed";
  tweets: number;
  rejects: number;
  notices: NoticeCounts;
  retries?: number;
  error?: string;
  /** The reject file the chunk appended to. */
  rejectsFile?: string;
  /** Why its tar member could not be read to its end (the reject of the lines lost). */
  damaged?: string;
}

/**
 * Slots of LoadTask.committed for a chunk: tweets committed (acknowledged) and the
 * backend's pid (whose end the main thread awaits before it counts what is committed).
 */
export const SLOT_COMMITTED = 0;
export const SLOT_PID = 1;
export const CHUNK_SLOTS_BYTES = 8;
