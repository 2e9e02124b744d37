import { createReadStream } from "node:fs";
import { InputError } from "../errors.js";
import { compressionOf, decoded } from "./decompress.js";
import { isTarName, TAR_NAMES } from "./tar-entries.js";
import { tarMembers } from "./tar-members.js";
import type { ArchiveMember } from "./types.js";
import { CHUNK_BYTES, zipMembers } from "./zip-members.js";

/** Names of text archives: JSON lines, or (`.json`) JSON lines or one JSON array. */
const TEXT_ENDINGS = [".jsonl", ".ndjson", ".json"] as const;

/**
 * What `tweetload load` reads, in words: a zip, a tar, or a text archive optionally
 * compressed. (`.zip.gz` is not read: a zip needs its directory at the end, a compressed
 * stream is read from the start.)
 */
export const ACCEPTED_NAMES = `.zip, ${TAR_NAMES}, .jsonl, .ndjson or .json (the last three also .gz or .bz2)`;

const textEnding = (lower: string) => TEXT_ENDINGS.find((end) => lower.endsWith(end));

/** Whether `name` is an archive tweetload reads, by its ending (any letter case). */
export function isArchiveName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower.endsWith(".zip") || isTarName(lower)) return true;
  return textEnding(compressionOf(lower).inner) !== undefined;
}

async function* single(
  open: () => NodeJS.ReadableStream,
  mayBeArray: boolean,
): AsyncGenerator<ArchiveMember> {
  yield { name: null, open: async () => open(), ...(mayBeArray ? { mayBeArray } : {}) };
}

/** The members of an archive chosen by its name: zip or tar members, or the file itself. */
export function archiveMembers(file: string): AsyncGenerator<ArchiveMember> {
  const lower = file.toLowerCase();
  if (lower.endsWith(".zip")) return zipMembers(file);
  if (isTarName(lower)) return tarMembers(file);
  const { compression, inner } = compressionOf(lower);
  const ending = textEnding(inner);
  if (ending === undefined) {
    throw new InputError(
      file,
      `${file} has an unknown name ending; tweetload reads ${ACCEPTED_NAMES} files (rename it if it is one of them)`,
    );
  }
  const open = () => decoded(createReadStream(file, { highWaterMark: CHUNK_BYTES }), compression);
  return single(open, ending === ".json");
}
