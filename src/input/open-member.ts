import { MemberDamageError } from "../errors.js";
import type { ArchiveMember } from "./types.js";

/** A member's bytes, and whether they hold one JSON array rather than JSON lines. */
export interface OpenedMember {
  array: boolean;
  chunks: AsyncIterable<Buffer>;
}

const BOM = [0xef, 0xbb, 0xbf];
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Index of the first byte after white space (and a BOM at the very start), or -1. */
function firstByte(chunk: Buffer, atStart: boolean): number {
  let i = atStart && BOM.every((b, k) => chunk[k] === b) ? 3 : 0;
  while (i < chunk.length && isSpace(chunk[i] as number)) i++;
  return i < chunk.length ? i : -1;
}

/**
 * Opens a member. One that may be a JSON array (`.json`, standard input) is sniffed: its
 * first byte other than white space (or a byte order mark) decides, `[` for an array.
 * The chunks read to decide are handed on first (without the BOM, for an array), so
 * nothing is read twice and memory does not grow.
 */
export async function openMember(member: ArchiveMember): Promise<OpenedMember> {
  const stream = (await member.open()) as AsyncIterable<Buffer>;
  if (!member.mayBeArray) return { array: false, chunks: stream };
  const it = stream[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let array = false;
  // A damaged tar member is its reader's reject: it meets the damage where it reads.
  let damage: MemberDamageError | undefined;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await it.next();
    } catch (error) {
      if (!(error instanceof MemberDamageError)) throw error;
      damage = error;
      break;
    }
    if (next.done) break;
    const at = firstByte(next.value, seen.length === 0);
    seen.push(next.value);
    if (at === -1) continue;
    array = next.value[at] === 0x5b;
    break;
  }
  const first = seen[0];
  if (array && first && BOM.every((b, k) => first[k] === b)) seen[0] = first.subarray(3);
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      yield* seen;
      if (damage) throw damage;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await it.return?.();
    }
  }
  return { array, chunks: replay() };
}
