import { Readable } from "node:stream";
import { decoded } from "./decompress.js";
import { held } from "./member-damage.js";
import { tarEntries } from "./tar-entries.js";
import type { ArchiveMember } from "./types.js";

/**
 * The members of a tar archive in stored order, for the readers that read a file whole:
 * each tweet-data member decoded by its name (`.gz`, `.bz2`) and held until verified
 * (member-damage.ts), so a damaged member is one reject instead of the file's failure;
 * other members come with `skipped` set.
 */
export async function* tarMembers(file: string): AsyncGenerator<ArchiveMember> {
  for await (const entry of tarEntries(file)) {
    if (entry.skipped !== undefined) {
      yield { name: entry.name, open: async () => entry.read(), skipped: entry.skipped };
      continue;
    }
    yield {
      name: entry.name,
      open: async () =>
        Readable.from(held(decoded(entry.read(), entry.compression) as AsyncIterable<Buffer>)),
      ...(entry.mayBeArray ? { mayBeArray: true } : {}),
    };
  }
}
