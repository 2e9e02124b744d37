import { createReadStream, createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import tar from "tar-stream";
import { readLines } from "../../../src/input/read-lines.js";
import { classifyLine } from "../../../src/transform/classify-line.js";

/** A member of a tar as stored: its header and bytes. */
export interface StoredMember {
  name: string;
  data: Buffer;
}

/** Every member of a plain tar, in order. */
export async function storedMembers(path: string): Promise<StoredMember[]> {
  const extract = tar.extract();
  createReadStream(path).pipe(extract as unknown as NodeJS.WritableStream);
  const out: StoredMember[] = [];
  for await (const entry of extract) {
    const parts: Buffer[] = [];
    for await (const part of entry) parts.push(part as Buffer);
    out.push({ name: entry.header.name, data: Buffer.concat(parts) });
  }
  return out;
}

/** Writes `members` as a plain tar. */
export async function writeMembers(path: string, members: readonly StoredMember[]) {
  const pack = tar.pack();
  const out = createWriteStream(path);
  pack.pipe(out as unknown as NodeJS.WritableStream);
  for (const m of members) {
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: m.name, size: m.data.length, mode: 0o644 }, m.data, (e) =>
        e ? reject(e) : resolve(),
      ),
    );
  }
  pack.finalize();
  await finished(out);
}

/** `data` with 16 bytes flipped at its middle: a bzip2 member whose block fails its check. */
export function flipped(data: Buffer): Buffer {
  const copy = Buffer.from(data);
  const at = Math.floor(copy.length / 2);
  for (let i = at; i < at + 16 && i < copy.length; i++) copy[i] = (copy[i] as number) ^ 0x55;
  return copy;
}

/** What a tar's members hold, read independently of the loaders' counting. */
export interface TarTally {
  /** Tweet lines per member. */
  tweets: Map<string, number>;
  deletes: Map<string, number>;
  /** Distinct tweet ids of the whole tar. */
  ids: Set<string>;
}

export async function tallyTar(path: string, leaveOut: ReadonlySet<string>): Promise<TarTally> {
  const tally: TarTally = { tweets: new Map(), deletes: new Map(), ids: new Set() };
  for await (const line of readLines(path)) {
    const member = line.member as string;
    if (leaveOut.has(member) || line.error !== undefined) continue;
    const c = classifyLine(line.text);
    if (c.kind === "notice") tally.deletes.set(member, (tally.deletes.get(member) ?? 0) + 1);
    else if (c.kind === "tweets") {
      tally.tweets.set(member, (tally.tweets.get(member) ?? 0) + 1);
      for (const t of c.tweets) tally.ids.add(t.tweet.id);
    }
  }
  return tally;
}

export const sum = (m: ReadonlyMap<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
