import { createReadStream } from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import tar from "tar-stream";
import { InputError } from "../errors.js";
import { type Compression, compressionOf, decoded } from "./decompress.js";
import { notTweetData } from "./not-tweet-data.js";
import { CHUNK_BYTES } from "./zip-members.js";

/** Names of tar archives, each with how the whole archive is compressed. */
const TAR_ENDINGS: ReadonlyArray<[string, Compression | undefined]> = [
  [".tar", undefined],
  [".tar.gz", "gzip"],
  [".tgz", "gzip"],
  [".tar.bz2", "bzip2"],
  [".tbz2", "bzip2"],
];

/** What `tweetload load` reads as a tar, in words. */
export const TAR_NAMES = ".tar (also .tar.gz, .tgz, .tar.bz2)";

/** A tar member's names that hold tweets (each also .gz or .bz2), in words. */
export const TAR_MEMBER_NAMES = ".json, .jsonl or .ndjson, each also .gz or .bz2";

/** The compression of a tar archive by its name, or false when the name is not a tar's. */
export function tarCompression(name: string): Compression | undefined | false {
  const lower = name.toLowerCase();
  const found = TAR_ENDINGS.find(([ending]) => lower.endsWith(ending));
  return found === undefined ? false : found[1];
}

export const isTarName = (name: string): boolean => tarCompression(name) !== false;

const DATA_ENDINGS = [".jsonl", ".ndjson", ".json"];

/** A member's stream as tar-stream gives it (a streamx stream). */
type StreamxSource = tar.ExtractEvents["entry"][1];

/** A tar member as the readers need it: its name, how it is stored, or why it is passed over. */
export interface TarEntry {
  /** The member's path in the tar; a repeated path gets ` (copy N)`, so each is its own. */
  name: string;
  /** Bytes as stored in the tar (compressed, when `compression` is set). */
  size: number;
  compression?: Compression;
  /** A `.json` member may hold one JSON array. */
  mayBeArray?: boolean;
  skipped?: string;
  /**
   * The member's stored bytes, to be read whole before the next entry is asked for (what
   * is left unread is passed over then). Destroying it would end the whole archive.
   */
  read(): Readable;
}

/**
 * A member's bytes as a Node stream that its reader may destroy at any point (a damaged
 * member's decoder does, through pipeline()): tar-stream ends the whole archive when a
 * member's own stream is destroyed, so the rest of the member is read and dropped instead.
 */
function detached(source: StreamxSource, failed: Error | undefined): Readable {
  const out = new PassThrough({ highWaterMark: CHUNK_BYTES });
  // Cut before it was handed out: its error and close are past.
  if (source.destroyed) {
    out.destroy(failed ?? new Error("Unexpected end of data"));
    return out;
  }
  let ended = false;
  source.on("data", (piece) => {
    if (out.destroyed || out.write(piece as Buffer)) return;
    source.pause();
    out.once("drain", () => source.resume());
  });
  source.on("end", () => {
    ended = true;
    out.end();
  });
  source.on("error", (error: Error) => out.destroy(error));
  out.on("close", () => {
    if (!ended) source.resume();
  });
  return out;
}

/** Why a member of a tar holds no tweet data, or null when its name says it does. */
function verdict(name: string, type: string): string | null {
  if (type === "directory") return "a directory entry";
  if (type !== "file" && type !== "contiguous-file") return `a ${type} entry, not a file`;
  const metadata = notTweetData(name);
  if (metadata !== null) return metadata;
  const { inner } = compressionOf(name);
  const lower = inner.toLowerCase();
  if (lower.endsWith(".zip")) {
    return "a zip inside the tar: it is not read here (a zip is read from its end); extract it and load it";
  }
  if (!DATA_ENDINGS.some((end) => lower.endsWith(end))) {
    return `not a name of tweet data (${TAR_MEMBER_NAMES})`;
  }
  return null;
}

/**
 * The members of a tar archive in the order they are stored, streamed: nothing is
 * extracted to disk, and only the member being read is in memory. The archive itself may
 * be gzip- or bzip2-compressed (by its name). A file that is not a tar, or a header that
 * is damaged, is an InputError naming the file; a member cut by the end of the archive
 * ends its stream with an error, and the entries end there.
 */
export async function* tarEntries(file: string): AsyncGenerator<TarEntry> {
  const outer = tarCompression(file);
  const extract = tar.extract();
  const source = decoded(
    createReadStream(file, { highWaterMark: CHUNK_BYTES }),
    outer === false ? undefined : outer,
  );
  source.on("error", (error: Error) => extract.destroy(error));
  source.pipe(extract as unknown as NodeJS.WritableStream);
  const copies = new Map<string, number>();
  let cut: Error | undefined;
  // A member's error is taken when it happens, which may be before it is handed out.
  const failed = new WeakMap<StreamxSource, Error>();
  extract.on("entry", (_header, stream) =>
    stream.once("error", (error: Error) => {
      cut = error;
      failed.set(stream, error);
    }),
  );
  const iterator = extract[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: Awaited<ReturnType<typeof iterator.next>>;
      try {
        next = await iterator.next();
      } catch (error) {
        // A member cut by the end of the archive: its reader has said so already.
        if (cut !== undefined && error === cut) return;
        const reason = error instanceof Error ? error.message : String(error);
        throw new InputError(file, `${file} is not a readable tar archive: ${reason}`, {
          cause: error,
        });
      }
      if (next.done) return;
      const member = next.value;
      // Settled once the member has been read through (or cut); recorded before any reading.
      const ended = member.destroyed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            member.once("end", () => resolve());
            member.once("close", () => resolve());
          });
      const { header } = member;
      const copy = (copies.get(header.name) ?? 0) + 1;
      copies.set(header.name, copy);
      const name = copy === 1 ? header.name : `${header.name} (copy ${copy})`;
      const skipped = verdict(header.name, header.type);
      const { compression, inner } = compressionOf(header.name);
      let opened: Readable | undefined;
      const read = () => {
        opened ??= detached(member, failed.get(member));
        return opened;
      };
      const entry: TarEntry = { name, size: header.size, read };
      if (skipped !== null) entry.skipped = skipped;
      else {
        if (compression !== undefined) entry.compression = compression;
        if (inner.toLowerCase().endsWith(".json")) entry.mayBeArray = true;
      }
      yield entry;
      // Whatever the reader left unread is passed over, so the next header can be read.
      if (opened === undefined) member.resume();
      await ended;
    }
  } finally {
    extract.destroy();
    (source as Readable).destroy();
  }
}
