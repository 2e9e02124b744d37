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
}

/** A zip member that holds no tweet data, skipped and named in the summary. */
export interface SkippedMember {
  name: string;
  reason: string;
}

/** How archives are read; shared by every reader of src/input. */
export interface InputOptions {
  /** Longest line (or JSON array element) kept, in bytes; default DEFAULT_MAX_LINE_BYTES. */
  maxLineBytes?: number;
  /** Told of each member that is skipped (macOS metadata, directories). */
  onSkippedMember?(member: SkippedMember): void;
}

/** A readable stream of one member's bytes, opened only when consumed. */
export interface ArchiveMember {
  name: string | null;
  open(): Promise<NodeJS.ReadableStream>;
  /** Either JSON lines or one JSON array (`.json` names and standard input): sniffed. */
  mayBeArray?: boolean;
  /** Why the member is not read, when it is not tweet data. */
  skipped?: string;
}
