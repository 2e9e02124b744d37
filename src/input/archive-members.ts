import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { createGunzip } from "node:zlib";
import { InputError } from "./input-error.js";
import type { ArchiveMember } from "./types.js";
import { CHUNK_BYTES, zipMembers } from "./zip-members.js";

/** The extensions `tweetload load` accepts, longest first so `.jsonl.gz` wins over `.gz`. */
export const ARCHIVE_EXTENSIONS = [".jsonl.gz", ".jsonl", ".json", ".zip"] as const;

export const isArchiveName = (name: string): boolean =>
  ARCHIVE_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));

async function* single(open: () => NodeJS.ReadableStream): AsyncGenerator<ArchiveMember> {
  yield { name: null, open: async () => open() };
}

/** The members of an archive chosen by its extension: zip members, or the file itself. */
export function archiveMembers(file: string): AsyncGenerator<ArchiveMember> {
  const lower = file.toLowerCase();
  if (lower.endsWith(".zip")) return zipMembers(file);
  if (lower.endsWith(".jsonl.gz") || lower.endsWith(".json.gz")) {
    // pipeline (unlike pipe) hands a read error such as ENOENT on to the gunzip stream.
    return single(() =>
      pipeline(
        createReadStream(file, { highWaterMark: CHUNK_BYTES }),
        createGunzip({ chunkSize: CHUNK_BYTES }),
        () => {},
      ),
    );
  }
  if (lower.endsWith(".jsonl") || lower.endsWith(".json")) {
    return single(() => createReadStream(file, { highWaterMark: CHUNK_BYTES }));
  }
  throw new InputError(
    file,
    `${file} has an unknown extension; tweetload reads .zip, .jsonl, .json and .jsonl.gz files`,
  );
}
