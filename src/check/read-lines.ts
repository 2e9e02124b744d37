import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import yauzl from "yauzl";

/**
 * The lines of tweet archives for the checker's independent derivation:
 * `.zip` (every member, in name order), `.jsonl`/`.json` and `.jsonl.gz`.
 * Deliberately separate from src/input, so a bug there cannot hide here.
 */
export async function* archiveLines(path: string): AsyncGenerator<string> {
  if (path.endsWith(".zip")) {
    yield* zipLines(path);
  } else if (path.endsWith(".gz")) {
    yield* streamLines(createReadStream(path).pipe(createGunzip()));
  } else {
    yield* streamLines(createReadStream(path));
  }
}

/** The archives of a folder, in name order, or the file itself. */
export async function archivePaths(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => /\.(zip|jsonl|json|jsonl\.gz)$/.test(n)).sort();
  return names.map((n) => join(path, n));
}

async function* streamLines(stream: Readable): AsyncGenerator<string> {
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) yield line;
}

async function* zipLines(path: string): AsyncGenerator<string> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, z) =>
      err ? reject(err) : resolve(z),
    ),
  );
  try {
    const entries: yauzl.Entry[] = [];
    await new Promise<void>((resolve, reject) => {
      zip.on("entry", (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith("/")) entries.push(entry);
        zip.readEntry();
      });
      zip.on("end", () => resolve());
      zip.on("error", reject);
      zip.readEntry();
    });
    entries.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    for (const entry of entries) {
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s))),
      );
      const inner = extname(entry.fileName) === ".gz" ? stream.pipe(createGunzip()) : stream;
      yield* streamLines(inner);
    }
  } finally {
    zip.close();
  }
}
