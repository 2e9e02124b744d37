import { createHash } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { finished } from "node:stream/promises";
import { readLines } from "../../input/read-lines.js";
import { stripNulEscapes } from "../../transform/nul.js";

/** Whether a line is a tweet object a loader would accept (not bad input). */
export function isTweetLine(line: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return false;
  }
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    ("id" in value || "id_str" in value)
  );
}

/** JSON lines of one archive, ready for `\copy`. */
export interface ExtractedFile {
  source: string;
  path: string;
  tweets: number;
  bytes: number;
}

export interface Extraction {
  files: ExtractedFile[];
  tweets: number;
  /** Lines dropped as bad input (not JSON, not a tweet object). */
  dropped: number;
  bytes: number;
}

interface Manifest extends Extraction {
  sources: { file: string; size: number; mtimeMs: number }[];
}

/**
 * Extracts the JSON lines of each archive once into plain files under
 * `scratchRoot` (one per archive, blank and bad lines dropped, NUL rule
 * applied), and reuses them while the archives are unchanged.
 */
export async function extractJsonLines(
  archives: readonly string[],
  scratchRoot: string,
): Promise<Extraction> {
  const key = createHash("sha1").update(archives.join("\n")).digest("hex").slice(0, 12);
  const dir = join(scratchRoot, key);
  const manifestPath = join(dir, "manifest.json");
  const sources = await Promise.all(
    archives.map(async (file) => {
      const s = await stat(file);
      return { file, size: s.size, mtimeMs: s.mtimeMs };
    }),
  );
  const cached = await readManifest(manifestPath);
  if (cached && JSON.stringify(cached.sources) === JSON.stringify(sources)) {
    const { sources: _, ...extraction } = cached;
    return extraction;
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const files: ExtractedFile[] = [];
  let dropped = 0;
  for (const [i, source] of archives.entries()) {
    const path = join(dir, `${String(i).padStart(4, "0")}-${basename(source)}.jsonl`);
    const out = createWriteStream(path);
    let tweets = 0;
    let bytes = 0;
    // Read as `load` reads: the same members, line ends, JSON arrays and refusals.
    for await (const read of readLines(source)) {
      if (read.text.trim() === "") continue;
      const line = stripNulEscapes(read.text);
      if (read.error !== undefined || !isTweetLine(line)) {
        dropped++;
        continue;
      }
      const text = `${line}\n`;
      bytes += Buffer.byteLength(text);
      tweets++;
      if (!out.write(text)) await once(out, "drain");
    }
    out.end();
    await finished(out);
    files.push({ source, path, tweets, bytes });
  }
  const extraction: Extraction = {
    files,
    tweets: files.reduce((s, f) => s + f.tweets, 0),
    dropped,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
  };
  await writeFile(manifestPath, `${JSON.stringify({ ...extraction, sources }, null, 2)}\n`);
  return extraction;
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}
