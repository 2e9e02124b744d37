import { databaseName } from "../db/kinds.js";
import { fileIdentity } from "../input/file-identity.js";
import type { JournalEntry } from "../load/journal-entry.js";
import { loaderById } from "../load/registry.js";
import type { LoadTask } from "./types.js";

/**
 * Who a task's file is to the journal: the identity its spool gave a stream (standard
 * input, known by its content after decompression), else the file's own, hashed now. An
 * empty file is refused here: it has nothing to load.
 */
export async function journalEntryOf(task: LoadTask): Promise<JournalEntry> {
  const identity = task.identity ?? (await fileIdentity(task.file));
  if (identity.size === 0) throw new Error(`${task.file} is empty (0 bytes): nothing to load`);
  return { ...identity, loader: loaderById(task.loader).journalName };
}

/** The line a load writes when it waits for another load of the same content to end. */
export const waitNotice = (task: Pick<LoadTask, "file" | "db">) => () => {
  process.stderr.write(
    `tweetload: ${task.file}: waiting for another load of the same content into ${databaseName(task.db)} to end\n`,
  );
};
