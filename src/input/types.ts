/** One non-blank input line and where it came from (for rejects and error messages). */
export interface InputLine {
  /** The archive path as given by the user. */
  file: string;
  /** The zip member name; null for plain and gzip files. */
  member: string | null;
  /**
   * 1-based line number within the member (or file), blank lines counted. For a file
   * holding one JSON array, the line where the element starts.
   */
  lineNo: number;
  /** The line without its line ending (for a JSON array, the element's JSON text). */
  text: string;
  /**
   * True when `text` is the line's UTF-8 bytes one character per byte (latin1), not
   * decoded: see ReadLinesOptions.byteStrings. Such a line has no `\u` escape.
   */
  byteString?: true;
  /**
   * Set when the input itself rules the line out (not UTF-8, longer than --max-line-bytes):
   * the reason. Every loader rejects such a line; `text` then shows what could be kept.
   */
  error?: string;
  /** Set on the reject that stands for the unread rest of a damaged tar member. */
  damaged?: true;
}

/** A zip member that holds no tweet data, skipped and named in the summary. */
export interface SkippedMember {
  name: string;
  reason: string;
}

/** A line of a chunk longer than --max-line-bytes: the cutter kept only its head. */
export interface ChunkLongLine {
  lineNo: number;
  head: Uint8Array;
  bytes: number;
  /** The index in ChunkInput.parts of the member it is in (0 when the chunk has no parts). */
  part?: number;
}

/** One member's lines in a chunk that gathers several small members. */
export interface ChunkPart {
  member: string | null;
  firstLineNo: number;
  /** Its bytes in ChunkInput.data, which holds the parts one after another. */
  bytes: number;
}

/**
 * A run of whole lines of one member (or plain file), cut by the main thread and loaded by
 * a worker (chunk-cutter.ts). `data` is the lines' bytes as in the file, line
 * endings included; an over-long line is an empty line there and its head is in `long`.
 * Plain data: it crosses to a worker (`data` transferred).
 */
export interface ChunkInput {
  member: string | null;
  /** Member line number of the chunk's first line (blank lines count). */
  firstLineNo: number;
  data: Uint8Array;
  long?: ChunkLongLine[];
  /**
   * Set when the chunk gathers whole small members (chunk-cutter.ts): each member's part of
   * `data`, in order; `member` and `firstLineNo` are the first part's.
   */
  parts?: ChunkPart[];
  /**
   * Set for a whole tar member sent as it is stored (tar-units.ts): `data` is the member's
   * bytes, compressed as `compression` says, decoded by the worker and held until verified.
   */
  whole?: true;
  compression?: "gzip" | "bzip2";
  /** A whole `.json` member: sniffed for one JSON array. */
  mayBeArray?: true;
  /** The member cannot be read past `data`: why (its reader rejects the rest). */
  damage?: string;
}

/** How archives are read; shared by every reader of src/input. */
export interface InputOptions {
  /**
   * Read only this chunk of the file (a worker's share of a file loaded in parallel), with
   * its member and line numbers; `file` still names the archive in every line.
   */
  chunk?: ChunkInput;
  /** Longest line (or JSON array element) kept, in bytes; default DEFAULT_MAX_LINE_BYTES. */
  maxLineBytes?: number;
  /** Told of each member that is skipped (macOS metadata, directories). */
  onSkippedMember?(member: SkippedMember): void;
}

/** One member's bytes, opened only when consumed: a stream, or (a small zip member) its bytes whole. */
export interface ArchiveMember {
  name: string | null;
  open(): Promise<NodeJS.ReadableStream | AsyncIterable<Buffer>>;
  /** Either JSON lines or one JSON array (`.json` names and standard input): sniffed. */
  mayBeArray?: boolean;
  /** Why the member is not read, when it is not tweet data. */
  skipped?: string;
}
