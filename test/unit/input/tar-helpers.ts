import { execFileSync } from "node:child_process";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import tar from "tar-stream";

/** A member to write: a file with its bytes, or another entry type (a directory). */
export interface TarMember {
  name: string;
  data?: Buffer;
  type?: "file" | "directory" | "symlink";
}

/** Writes a plain tar of `members`, in the order given. */
export async function writeTar(path: string, members: readonly TarMember[]): Promise<void> {
  const pack = tar.pack();
  const out = createWriteStream(path);
  pack.pipe(out as unknown as NodeJS.WritableStream);
  for (const m of members) {
    const type = m.type ?? "file";
    const header = {
      name: m.name,
      type,
      mode: 0o644,
      ...(type === "symlink" ? { linkname: "elsewhere" } : {}),
    };
    await new Promise<void>((resolve, reject) => {
      const done = (e?: Error | null) => (e ? reject(e) : resolve());
      pack.entry(header, type === "file" ? (m.data ?? Buffer.alloc(0)) : Buffer.alloc(0), done);
    });
  }
  pack.finalize();
  await finished(out);
}

/** bzip2 of `data` by the system's bzip2 (-9: 900 KB blocks), as the Stream Grab's are made. */
export const bzip2 = (data: Buffer | string): Buffer =>
  execFileSync("bzip2", ["-9", "-c"], { input: data, maxBuffer: 1 << 30 });

/** `data` with `count` bytes flipped from `at` (a fraction of its length): a damaged copy. */
export function damaged(data: Buffer, at = 0.5, count = 16): Buffer {
  const copy = Buffer.from(data);
  const start = Math.floor(copy.length * at);
  for (let i = start; i < Math.min(copy.length, start + count); i++)
    copy[i] = (copy[i] as number) ^ 0x55;
  return copy;
}

/** JSON lines of small tweets with ids from `first`, one per line. */
export function tweetLines(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, k) => {
    const id = first + k;
    return JSON.stringify({
      id,
      id_str: String(id),
      created_at: "Sun Jan 01 00:00:00 +0000 2012",
      text: `tweet ${id}`,
      user: { id: 42, id_str: "42", screen_name: "ann" },
      entities: { hashtags: [] },
    });
  });
}
