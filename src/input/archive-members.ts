import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "../errors.js";
import type { ArchiveMember } from "./types.js";
import { CHUNK_BYTES, zipMembers } from "./zip-members.js";

/** Names of text archives: JSON lines, or (`.json`) JSON lines or one JSON array. */
const TEXT_ENDINGS = [".jsonl", ".ndjson", ".json"] as const;

/**
 * What `tweetload load` reads, in words: a zip, or a text archive optionally gzipped.
 * (`.zip.gz` is not read: a zip needs its directory at the end, a gzip stream is read
 * from the start.)
 */
export const ACCEPTED_NAMES = ".zip, .jsonl, .ndjson or .json (the last three also .gz)";

const textEnding = (lower: string) => TEXT_ENDINGS.find((end) => lower.endsWith(end));

/** Whether `name` is an archive tweetload reads, by its ending (any letter case). */
export function isArchiveName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith(".zip")) return true;
  return textEnding(lower.endsWith(".gz") ? lower.slice(0, -3) : lower) !== undefined;
}

async function* single(
  open: () => NodeJS.ReadableStream,
  mayBeArray: boolean,
): AsyncGenerator<ArchiveMember> {
  yield { name: null, open: async () => open(), ...(mayBeArray ? { mayBeArray } : {}) };
}

/** The members of an archive chosen by its name: zip members, or the file itself. */
export function archiveMembers(file: string): AsyncGenerator<ArchiveMember> {
  const lower = file.toLowerCase();
  if (lower.endsWith(".zip")) return zipMembers(file);
  const gzipped = lower.endsWith(".gz");
  const ending = textEnding(gzipped ? lower.slice(0, -3) : lower);
  if (ending === undefined) {
    throw new InputError(
      file,
      `${file} has an unknown name ending; tweetload reads ${ACCEPTED_NAMES} files (rename it if it is one of them)`,
    );
  }
  const read = () => createReadStream(file, { highWaterMark: CHUNK_BYTES });
  // pipeline (unlike pipe) hands a read error such as ENOENT on to the gunzip stream.
  const open = gzipped
    ? () => pipeline(read(), createGunzip({ chunkSize: CHUNK_BYTES }), () => {})
    : read;
  return single(open, ending === ".json");
}
