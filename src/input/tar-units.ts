import { availableParallelism } from "node:os";
import { Readable } from "node:stream";
import { bzip2Decoder } from "./bzip2.js";
import { type FileChunk, memberChunks } from "./chunk-cutter.js";
import { decoded, decodedBuffer } from "./decompress.js";
import { inputError } from "./input-error.js";
import { damageReason, HELD_BYTES, held } from "./member-damage.js";
import { openMember } from "./open-member.js";
import { DEFAULT_MAX_LINE_BYTES } from "./pending-line.js";
import { type TarEntry, tarEntries } from "./tar-entries.js";
import type { InputOptions } from "./types.js";

/**
 * Stored bytes up to which a tar member goes to a worker whole, as it is stored: the
 * worker decodes it, so bzip2 (tens of MB/s per core) runs on every worker at once
 * instead of on the thread that reads the tar. Stream Grab's per-minute members are
 * 0.3-2 MB of bzip2. A bigger member is decoded here and cut into chunks of lines like a
 * zip member, so that memory stays bounded: at most two units per worker are in flight.
 */
export const WHOLE_MEMBER_BYTES = 8 * 1024 * 1024;

/** A member sent whole: its stored bytes, and its damage if the archive ends inside it. */
async function wholeUnit(entry: TarEntry): Promise<FileChunk> {
  const parts: Buffer[] = [];
  let damage: string | undefined;
  try {
    for await (const part of entry.read()) parts.push(part as Buffer);
  } catch (error) {
    damage = damageReason(error);
  }
  const unit: FileChunk = {
    member: entry.name,
    index: 0,
    firstLineNo: 1,
    // Not known until the worker has decoded it; the journal keeps 0 for a whole member.
    lines: 0,
    data: Buffer.concat(parts),
    whole: true,
  };
  if (entry.compression !== undefined) unit.compression = entry.compression;
  if (entry.mayBeArray) unit.mayBeArray = true;
  if (damage !== undefined) unit.damage = damage;
  return unit;
}

/**
 * The units of work of a tar archive loaded in parallel, in stored order: each small
 * member whole (one unit, key member/0), each big one as chunks of `chunkLines` lines
 * (keys member/0..k), never spanning members. Which way a member goes depends only on
 * its stored size, so a resumed load cuts the same units. Members that are not tweet data
 * are told to `options.onSkippedMember`; so is a big member holding one JSON array, which
 * cannot be cut into lines.
 */
export async function* tarUnits(
  file: string,
  chunkLines: number,
  options: InputOptions = {},
  wholeMemberBytes = WHOLE_MEMBER_BYTES,
): AsyncGenerator<FileChunk> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let member: string | null = null;
  try {
    for await (const entry of tarEntries(file)) {
      member = entry.name;
      if (entry.skipped !== undefined) {
        options.onSkippedMember?.({ name: entry.name, reason: entry.skipped });
        continue;
      }
      if (entry.size <= wholeMemberBytes) {
        yield await wholeUnit(entry);
        continue;
      }
      const bytes = () =>
        Readable.from(held(decoded(entry.read(), entry.compression) as AsyncIterable<Buffer>));
      const opened = await openMember({
        name: entry.name,
        open: async () => bytes(),
        ...(entry.mayBeArray ? { mayBeArray: true } : {}),
      });
      if (opened.array) {
        await (opened.chunks as AsyncGenerator<Buffer>).return(undefined);
        options.onSkippedMember?.({
          name: entry.name,
          reason: `one JSON array of ${entry.size} stored bytes, too big to load in parallel: extract it and load it as a file, or load the tar with --chunk-lines 0`,
        });
        continue;
      }
      for await (const cut of memberChunks(entry.name, opened.chunks, chunkLines, max))
        yield cut.chunk;
    }
  } catch (error) {
    throw inputError(file, member, error);
  }
}

/**
 * A whole unit decoded here, ahead of its load, when its decoder works off this thread:
 * gzip (zlib's thread pool) or bzip2 by a system program (its own process). Loading then
 * never waits for decoding, which runs on other cores while the units before load. The
 * JavaScript bzip2 decoder would run on this thread, so its units stay compressed and each
 * worker decodes its own. A member that decodes past HELD_BYTES is left to its worker too,
 * which streams it; a damaged one becomes a unit of its damage alone (as its worker would
 * have found it: none of its lines).
 */
async function decodedAhead(unit: FileChunk): Promise<FileChunk> {
  const { compression } = unit;
  if (!unit.whole || compression === undefined) return unit;
  if (compression === "bzip2" && bzip2Decoder() === "js") return unit;
  const stream = decodedBuffer(unit.data, compression);
  const parts: Buffer[] = [];
  let bytes = 0;
  // Its own (empty) buffer: a unit's bytes are transferred to a worker, which detaches them.
  const plain: FileChunk = { ...unit, data: Buffer.alloc(0) };
  delete plain.compression;
  try {
    for await (const part of stream as AsyncIterable<Buffer>) {
      parts.push(part);
      bytes += part.length;
      if (bytes > HELD_BYTES) {
        stream.destroy();
        return unit;
      }
    }
  } catch (error) {
    plain.damage = unit.damage ?? damageReason(error);
    return plain;
  }
  plain.data = Buffer.concat(parts, bytes);
  return plain;
}

/**
 * The units of `units`, each decoded ahead (decodedAhead) with up to `ahead` decoding at
 * once, in their order. Memory: `ahead` decoded members beyond those handed out.
 */
export async function* decodingAhead(
  units: AsyncIterable<FileChunk>,
  ahead = availableParallelism(),
): AsyncGenerator<FileChunk> {
  const queue: Promise<FileChunk>[] = [];
  // A unit that fails is not an unhandled rejection: its error waits in the queue for its turn.
  const settled = (p: Promise<FileChunk>) => {
    p.catch(() => {});
    return p;
  };
  for await (const unit of units) {
    queue.push(settled(decodedAhead(unit)));
    if (queue.length > ahead) yield await (queue.shift() as Promise<FileChunk>);
  }
  while (queue.length > 0) yield await (queue.shift() as Promise<FileChunk>);
}
