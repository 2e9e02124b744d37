/**
 * Default of `--max-line-bytes`. A v1.1 tweet is 3-6 KB of JSON and rarely above 30 KB
 * with its quoted and retweeted tweets; the largest v2 response page (500 tweets with
 * their includes) is about 3 MB. 16 MiB is five times that, and small enough that a few
 * workers each holding one such line (plus its parse) stay far below 512 MB.
 */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Bytes of an over-long line kept in its reject record. */
export const KEPT_BYTES = 1024;

/** A line longer than the limit: its first KEPT_BYTES and its full length. */
export interface LongLine {
  head: Buffer;
  bytes: number;
}

/** The first KEPT_BYTES of `parts`, copied so the chunks they came from can be freed. */
function headOf(parts: readonly Buffer[]): Buffer {
  const out: Buffer[] = [];
  let n = 0;
  for (const part of parts) {
    if (n >= KEPT_BYTES) break;
    const take = part.subarray(0, KEPT_BYTES - n);
    out.push(take);
    n += take.length;
  }
  return Buffer.from(Buffer.concat(out));
}

/** A whole line, or the record of one longer than the limit (`max`). */
export function lineOrLong(bytes: Buffer, max: number): Buffer | LongLine {
  return bytes.length > max ? { head: headOf([bytes]), bytes: bytes.length } : bytes;
}

/**
 * The bytes of a line that goes on across chunks. Pieces are kept as a list and joined
 * once, when the line ends, so a line costs time linear in its length; past `max` bytes
 * only the head is kept and the rest is counted, so memory stays bounded whatever the
 * input (a 2 GB member without a newline included).
 */
export class PendingLine {
  private parts: Buffer[] = [];
  private head: Buffer | null = null;
  private length = 0;

  constructor(private readonly max: number) {}

  get bytes(): number {
    return this.length;
  }

  add(piece: Buffer): void {
    if (piece.length === 0) return;
    this.length += piece.length;
    if (this.head !== null) return;
    this.parts.push(piece);
    if (this.length > this.max) {
      this.head = headOf(this.parts);
      this.parts = [];
    }
  }

  /** Ends the line with `last` (its bytes before the newline) and starts afresh. */
  finish(last: Buffer): Buffer | LongLine {
    this.add(last);
    const out: Buffer | LongLine =
      this.head !== null
        ? { head: this.head, bytes: this.length }
        : this.parts.length === 1
          ? (this.parts[0] as Buffer)
          : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.head = null;
    this.length = 0;
    return out;
  }
}
