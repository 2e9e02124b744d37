import yauzl, { type Entry, type ZipFile } from "yauzl";
import { InputError } from "./input-error.js";
import type { ArchiveMember } from "./types.js";

function openZip(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, zip) => {
      if (error || !zip) {
        const reason = error?.message ?? "unknown error";
        reject(
          new InputError(file, `${file} is not a readable zip archive: ${reason}`, {
            cause: error,
          }),
        );
      } else resolve(zip);
    });
  });
}

function readEntries(file: string, zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on("entry", (entry: Entry) => {
      if (!entry.fileName.endsWith("/")) entries.push(entry);
      zip.readEntry();
    });
    zip.once("end", () => resolve(entries));
    zip.once("error", (error: Error) =>
      reject(
        new InputError(file, `${file} is not a readable zip archive: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    zip.readEntry();
  });
}

/**
 * The members of a zip file in name order, each streamed (inflated) only when opened.
 * Only the central directory is read up front, so memory does not depend on the file size.
 */
export async function* zipMembers(file: string): AsyncGenerator<ArchiveMember> {
  const zip = await openZip(file);
  try {
    const entries = await readEntries(file, zip);
    entries.sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
    for (const entry of entries) {
      yield {
        name: entry.fileName,
        open: () =>
          new Promise((resolve, reject) =>
            zip.openReadStream(entry, (error, stream) =>
              error || !stream ? reject(error ?? new Error("no stream")) : resolve(stream),
            ),
          ),
      };
    }
  } finally {
    zip.close();
  }
}
