import { Readable } from "node:stream";
import { MemberDamageError } from "../errors.js";
import { archiveMembers } from "./archive-members.js";
import { decodedBuffer } from "./decompress.js";
import { held } from "./member-damage.js";
import type { LongLine } from "./pending-line.js";
import type { ArchiveMember, ChunkInput, InputOptions } from "./types.js";
import { CHUNK_BYTES } from "./zip-members.js";

/** A member as the readers see it; `firstLineNo` where a chunk starts mid-member. */
export interface SourceMember extends ArchiveMember {
  firstLineNo?: number;
  /** Over-long lines of a chunk by line number (see ChunkInput.long). */
  longLines?: Map<number, LongLine>;
}

const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** The chunk's bytes in reader-sized pieces, as a member stream would give them. */
async function* pieces(data: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += CHUNK_BYTES) yield data.subarray(at, at + CHUNK_BYTES);
}

/** `bytes`, then the damage that ends them, if any (a damage after the decoder's own error wins). */
async function* thenDamage(bytes: AsyncIterable<Buffer>, damage?: string): AsyncGenerator<Buffer> {
  try {
    yield* bytes;
  } catch (error) {
    throw damage === undefined ? error : new MemberDamageError(damage, { cause: error });
  }
  if (damage !== undefined) throw new MemberDamageError(damage);
}

/** The chunk as the members it holds: one, or each member a gathered chunk has a part of. */
async function* chunkMember(chunk: ChunkInput): AsyncGenerator<SourceMember> {
  const data = asBuffer(chunk.data);
  if (chunk.whole) {
    // A whole tar member: decoded here, on the worker, and verified before its lines go.
    const decode = () => decodedBuffer(data, chunk.compression) as AsyncIterable<Buffer>;
    yield {
      name: chunk.member,
      open: async () => Readable.from(held(thenDamage(decode(), chunk.damage))),
      ...(chunk.mayBeArray ? { mayBeArray: true } : {}),
    };
    return;
  }
  const parts = chunk.parts ?? [
    { member: chunk.member, firstLineNo: chunk.firstLineNo, bytes: data.length },
  ];
  let at = 0;
  for (const [i, part] of parts.entries()) {
    const bytes = data.subarray(at, at + part.bytes);
    at += part.bytes;
    const longLines = new Map<number, LongLine>();
    for (const l of chunk.long ?? []) {
      if ((l.part ?? 0) === i) longLines.set(l.lineNo, { head: asBuffer(l.head), bytes: l.bytes });
    }
    // The damage that ends the chunk ends its last member.
    const damage = i === parts.length - 1 ? chunk.damage : undefined;
    yield {
      name: part.member,
      open: async () => (damage === undefined ? pieces(bytes) : thenDamage(pieces(bytes), damage)),
      firstLineNo: part.firstLineNo,
      ...(longLines.size > 0 ? { longLines } : {}),
    };
  }
}

/**
 * What a reader reads: the archive's members, or, when `options.chunk` is set, the one
 * chunk of it that a worker was handed (the same line rules apply to both).
 */
export function sourceMembers(file: string, options: InputOptions): AsyncGenerator<SourceMember> {
  return options.chunk ? chunkMember(options.chunk) : archiveMembers(file);
}
