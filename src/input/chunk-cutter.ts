import { NotChunkableError } from "../errors.js";
import { archiveMembers } from "./archive-members.js";
import { inputError } from "./input-error.js";
import { DamageGuard } from "./member-damage.js";
import { openMember } from "./open-member.js";
import { DEFAULT_MAX_LINE_BYTES, type LongLine, lineOrLong, PendingLine } from "./pending-line.js";
import type { ChunkInput, ChunkLongLine, InputOptions } from "./types.js";

/**
 * One chunk of a file: `index` counts the chunks of its member from 0 (a chunk that
 * gathers small members is the first member's chunk 0).
 */
export interface FileChunk extends ChunkInput {
  index: number;
  /**
   * Lines in the chunk (blank ones too): of its member, firstLineNo .. firstLineNo+lines-1;
   * of all its parts when it has some.
   */
  lines: number;
  data: Buffer;
}

/** A chunk as memberChunks cuts it; `whole` when it holds its whole member, of `bytes` bytes. */
export interface MemberChunk {
  chunk: FileChunk;
  whole: boolean;
  bytes: number;
}

/**
 * Bytes of lines after which a chunk ends even before its --chunk-lines lines: 2,000
 * lines near the 16 MiB line limit were 32 GB in one chunk, two per worker in flight.
 * Ordinary tweets (3-6 KB) never reach it; a file of v2 pages (0.3-3 MB a line) is cut
 * into chunks of some 5,000 tweets instead of one chunk of the whole file.
 */
export const CHUNK_BYTES = 16 << 20;

const NL = 0x0a;
const NEWLINE = Buffer.from("\n");
const NOTHING = Buffer.alloc(0);

/**
 * Cuts one member into chunks of `chunkLines` lines, or fewer where the lines reach
 * CHUNK_BYTES first: a chunk ends after its chunkLines-th line, or after the line that
 * brings it to CHUNK_BYTES bytes of the member (line ends included). Both depend on the
 * member's bytes alone, so the same file and chunkLines always give the same chunks
 * (chunk-level resume depends on it). Runs of ordinary lines are kept as slices of the
 * pieces read; a line over `max` bytes is never held whole (an empty line stands in for
 * it, its head goes to `long`).
 */
export async function* memberChunks(
  member: string | null,
  pieces: AsyncIterable<Buffer>,
  chunkLines: number,
  max: number,
): AsyncGenerator<MemberChunk> {
  let index = 0;
  let firstLineNo = 1;
  let lines = 0;
  // Bytes of the member before the current piece, and where the current chunk starts.
  let offset = 0;
  let chunkStart = 0;
  let parts: Buffer[] = [];
  let long: ChunkLongLine[] = [];
  const carry = new PendingLine(max);
  const emit = (): FileChunk => {
    const data = Buffer.concat(parts);
    const chunk: FileChunk = { member, index: index++, firstLineNo, lines, data };
    if (long.length > 0) chunk.long = long;
    firstLineNo += lines;
    lines = 0;
    parts = [];
    long = [];
    return chunk;
  };
  // A line that is not a plain slice of the current piece: joined across pieces, or too long.
  const special = (line: Buffer | LongLine) => {
    if (Buffer.isBuffer(line)) parts.push(line, NEWLINE);
    else {
      parts.push(NEWLINE);
      long.push({ lineNo: firstLineNo + lines, head: line.head, bytes: line.bytes });
    }
  };
  // A damaged tar member: its complete lines so far, then the damage (its reader's reject).
  const guarded = new DamageGuard(pieces);
  for await (const piece of guarded) {
    let run = 0; // start of the run of ordinary lines not yet in `parts`
    let start = 0;
    for (;;) {
      const nl = piece.indexOf(NL, start);
      if (nl === -1) {
        if (start > run) parts.push(piece.subarray(run, start));
        carry.add(piece.subarray(start));
        break;
      }
      if (carry.bytes > 0 || nl - start > max) {
        if (start > run) parts.push(piece.subarray(run, start));
        special(
          carry.bytes > 0
            ? carry.finish(piece.subarray(start, nl))
            : lineOrLong(piece.subarray(start, nl), max),
        );
        run = nl + 1;
      }
      lines++;
      start = nl + 1;
      if (lines === chunkLines || offset + start - chunkStart >= CHUNK_BYTES) {
        if (start > run) parts.push(piece.subarray(run, start));
        run = start;
        chunkStart = offset + start;
        yield { chunk: emit(), whole: false, bytes: 0 };
      }
    }
    offset += piece.length;
  }
  if (guarded.damage) {
    const last = emit();
    last.damage = guarded.damage.message;
    yield { chunk: last, whole: false, bytes: 0 };
    return;
  }
  if (carry.bytes > 0) {
    special(carry.finish(NOTHING));
    lines++;
  }
  if (lines > 0) {
    const whole = index === 0;
    yield { chunk: emit(), whole, bytes: offset };
  }
}

/**
 * Whole small members gathered into one chunk, up to chunkLines lines and CHUNK_BYTES bytes
 * of members: one chunk a member made a zip of 10,000 one-tweet members 10,000 chunks, each
 * a transaction, a journal row and a round trip to a worker. A member that fills a chunk
 * of its own is cut as before, and a gathered chunk of one member is that member's chunk.
 */
class Gathering {
  private members: MemberChunk[] = [];
  private lines = 0;
  private bytes = 0;

  constructor(private readonly chunkLines: number) {}

  /** Takes a whole member; returns the chunk gathered before it when it does not fit. */
  add(member: MemberChunk): FileChunk | null {
    const fits =
      this.lines + member.chunk.lines <= this.chunkLines &&
      this.bytes + member.bytes <= CHUNK_BYTES;
    const done = fits ? null : this.take();
    this.members.push(member);
    this.lines += member.chunk.lines;
    this.bytes += member.bytes;
    return done;
  }

  /** The chunk gathered so far, if any, and a fresh start. */
  take(): FileChunk | null {
    const members = this.members.map((m) => m.chunk);
    this.members = [];
    this.lines = 0;
    this.bytes = 0;
    const [first] = members;
    if (!first || members.length === 1) return first ?? null;
    const long = members.flatMap((c, part) => (c.long ?? []).map((l) => ({ ...l, part })));
    const chunk: FileChunk = {
      member: first.member,
      index: 0,
      firstLineNo: first.firstLineNo,
      lines: members.reduce((n, c) => n + c.lines, 0),
      data: Buffer.concat(members.map((c) => c.data)),
      parts: members.map((c) => ({
        member: c.member,
        firstLineNo: c.firstLineNo,
        bytes: c.data.length,
      })),
    };
    if (long.length > 0) chunk.long = long;
    return chunk;
  }
}

/**
 * The chunks of an archive, member by member in name order, small members gathered
 * (skipped members are told to `options.onSkippedMember`). Throws NotChunkableError for a
 * member that holds a JSON array, and an InputError naming the file when it cannot be read.
 */
export async function* cutChunks(
  file: string,
  chunkLines: number,
  options: InputOptions = {},
): AsyncGenerator<FileChunk> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let member: string | null = null;
  const gathering = new Gathering(chunkLines);
  try {
    for await (const entry of archiveMembers(file)) {
      member = entry.name;
      if (entry.skipped !== undefined) {
        options.onSkippedMember?.({ name: entry.name ?? file, reason: entry.skipped });
        continue;
      }
      const { array, chunks } = await openMember(entry);
      if (array) throw new NotChunkableError(`${file} holds a JSON array`);
      for await (const cut of memberChunks(entry.name, chunks, chunkLines, max)) {
        const done = cut.whole ? gathering.add(cut) : gathering.take();
        if (done) yield done;
        if (!cut.whole) yield cut.chunk;
      }
    }
    const last = gathering.take();
    if (last) yield last;
  } catch (error) {
    if (error instanceof NotChunkableError) throw error;
    throw inputError(file, member, error);
  }
}
