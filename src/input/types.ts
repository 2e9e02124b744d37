/** One non-blank input line and where it came from (for rejects and error messages). */
export interface InputLine {
  /** The archive path as given by the user. */
  file: string;
  /** The zip member name; null for plain and gzip files. */
  member: string | null;
  /** 1-based line number within the member (or file), blank lines counted. */
  lineNo: number;
  /** The line without its line ending. */
  text: string;
  /**
   * True when `text` is the line's UTF-8 bytes one character per byte (latin1), not
   * decoded: see ReadLinesOptions.byteStrings. Such a line has no `\u` escape.
   */
  byteString?: true;
}

/** A readable stream of one member's bytes, opened only when consumed. */
export interface ArchiveMember {
  name: string | null;
  open(): Promise<NodeJS.ReadableStream>;
}
