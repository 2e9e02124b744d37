import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import yauzl from "yauzl";
import { listArchives as listInputArchives } from "../input/list-archives.js";

/** The archives directly inside `dir`, in name order, as `tweetload load` lists them. */
export async function listArchives(dir: string): Promise<string[]> {
  return (await listInputArchives([dir])).files;
}

/**
 * The decompressed members of one archive, in name order. Each stream must be
 * consumed before asking for the next one (a zip is read front to back).
 */
export async function* archiveMembers(
  file: string,
): AsyncGenerator<{ member: string; stream: Readable }> {
  if (file.endsWith(".zip")) {
    const zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
    try {
      const entries = [];
      for await (const entry of zip.eachEntry()) {
        if (!entry.fileName.endsWith("/")) entries.push(entry);
      }
      entries.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
      for (const entry of entries) {
        yield { member: entry.fileName, stream: await zip.openReadStreamPromise(entry) };
      }
    } finally {
      zip.close();
    }
  } else if (file.endsWith(".gz")) {
    yield { member: "", stream: createReadStream(file).pipe(createGunzip()) };
  } else {
    yield { member: "", stream: createReadStream(file) };
  }
}

/**
 * Reads and decompresses every archive and throws the bytes away: the cost a
 * loader pays before it has parsed a single line. Returns the decompressed size.
 */
export async function readOnly(files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const file of files) {
    for await (const { stream } of archiveMembers(file)) {
      for await (const chunk of stream) bytes += (chunk as Buffer).length;
    }
  }
  return bytes;
}
