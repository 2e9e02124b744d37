import { NotChunkableError } from "../errors.js";
import { archiveMembers } from "./archive-members.js";
import { inputError } from "./input-error.js";
import { openMember } from "./open-member.js";
import { DEFAULT_MAX_LINE_BYTES, type LongLine, lineOrLong, PendingLine } from "./pending-line.js";
import type { ChunkInput, ChunkLongLine, InputOptions } from "./types.js";

/** One chunk of a file: `index` counts the chunks of its member from 0. */
export interface FileChunk extends ChunkInput {
  index: number;
  /** Lines of the member in the chunk (blank ones too): firstLineNo .. firstLineNo+lines-1. */
  lines: number;
  data: Buffer;
}

const NL = 0x0a;
const NEWLINE = Buffer.from("\n");
const NOTHING = Buffer.alloc(0);

/**
 * Cuts one member into chunks of `chunkLines` lines: chunk k holds its lines
 * k*chunkLines+1 .. (k+1)*chunkLines, so the same file and chunkLines always give the same
 * chunks (chunk-level resume depends on it). Runs of ordinary lines are kept as slices of
 * the pieces read; a line over `max` bytes is never held whole (an empty line stands in
 * for it, its head goes to `long`).
 */
async function* memberChunks(
  member: string | null,
  pieces: AsyncIterable<Buffer>,
  chunkLines: number,
  max: number,
): AsyncGenerator<FileChunk> {
  let index = 0;
  let firstLineNo = 1;
  let lines = 0;
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
  for await (const piece of pieces) {
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
      if (lines === chunkLines) {
        if (start > run) parts.push(piece.subarray(run, start));
        run = start;
        yield emit();
      }
    }
  }
  if (carry.bytes > 0) {
    special(carry.finish(NOTHING));
    lines++;
  }
  if (lines > 0) yield emit();
}

/**
 * The chunks of an archive, member by member in name order (skipped members are told to
 * `options.onSkippedMember`). Throws NotChunkableError for a member that holds a JSON
 * array, and an InputError naming the file when it cannot be read.
 */
export async function* cutChunks(
  file: string,
  chunkLines: number,
  options: InputOptions = {},
): AsyncGenerator<FileChunk> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let member: string | null = null;
  try {
    for await (const entry of archiveMembers(file)) {
      member = entry.name;
      if (entry.skipped !== undefined) {
        options.onSkippedMember?.({ name: entry.name ?? file, reason: entry.skipped });
        continue;
      }
      const { array, chunks } = await openMember(entry);
      if (array) throw new NotChunkableError(`${file} holds a JSON array`);
      yield* memberChunks(entry.name, chunks, chunkLines, max);
    }
  } catch (error) {
    if (error instanceof NotChunkableError) throw error;
    throw inputError(file, member, error);
  }
}
