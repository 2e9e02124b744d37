import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { bunzip2Buffer, bunzip2Stream } from "./bzip2.js";
import { CHUNK_BYTES } from "./zip-members.js";

/** How a file or member is compressed, by its name's last ending. */
export type Compression = "gzip" | "bzip2";

const ENDINGS: ReadonlyArray<[string, Compression]> = [
  [".gz", "gzip"],
  [".bz2", "bzip2"],
];

/** A name's compression and the name without its ending (`a.json.bz2` → bzip2, `a.json`). */
export function compressionOf(name: string): { compression?: Compression; inner: string } {
  const lower = name.toLowerCase();
  for (const [ending, compression] of ENDINGS) {
    if (lower.endsWith(ending)) return { compression, inner: name.slice(0, -ending.length) };
  }
  return { inner: name };
}

const gunzip = () => createGunzip({ chunkSize: CHUNK_BYTES });

/**
 * `source` decoded. pipeline (unlike pipe) hands a read error such as ENOENT on to the
 * decoder's output, so the reader sees it.
 */
export function decoded(source: NodeJS.ReadableStream, compression?: Compression) {
  if (compression === undefined) return source;
  const decoder = compression === "gzip" ? gunzip() : bunzip2Stream();
  return pipeline(source, decoder, () => {});
}

/** A whole compressed buffer (a tar member sent to a worker) decoded, as a stream. */
export function decodedBuffer(data: Uint8Array, compression?: Compression): Readable {
  if (compression === "bzip2") return bunzip2Buffer(data);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // Reader-sized pieces, as a file stream gives them: a reader's batch grows per piece.
  const pieces = function* () {
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES)
      yield bytes.subarray(at, at + CHUNK_BYTES);
  };
  if (compression === undefined) return Readable.from(pieces());
  return pipeline(Readable.from([bytes]), gunzip(), () => {}) as unknown as Readable;
}
