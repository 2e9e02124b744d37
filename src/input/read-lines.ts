import { archiveMembers } from "./archive-members.js";
import { inputError } from "./input-error.js";
import type { InputLine } from "./types.js";

export interface ReadLinesOptions {
  /** Most lines per yielded batch (default 100: bigger batches outlive young-generation GCs and grow the heap). */
  batchLines?: number;
}

/**
 * Streams the non-blank lines of an archive (zip members in name order, or a plain or
 * gzip file) in batches, each line with its file, member and line number. A trailing `\r`
 * is removed. Memory stays constant: only one chunk and one batch are held at a time.
 * Bytes that are not UTF-8, a corrupt archive or an unreadable file throw an InputError
 * that names the file.
 */
export async function* readLineBatches(
  file: string,
  options: ReadLinesOptions = {},
): AsyncGenerator<InputLine[]> {
  const batchLines = options.batchLines ?? 100;
  let member: string | null = null;
  try {
    for await (const entry of archiveMembers(file)) {
      member = entry.name;
      const decoder = new TextDecoder("utf-8", { fatal: true });
      let batch: InputLine[] = [];
      let rest = "";
      let lineNo = 0;
      const push = (raw: string) => {
        lineNo++;
        const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (text.charCodeAt(0) > 32 || text.trim() !== "")
          batch.push({ file, member: entry.name, lineNo, text });
      };
      for await (const chunk of await entry.open()) {
        const text = rest + decoder.decode(chunk as Buffer, { stream: true });
        let start = 0;
        for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
          push(text.slice(start, nl));
          start = nl + 1;
        }
        rest = text.slice(start);
        if (batch.length >= batchLines) {
          yield batch;
          batch = [];
        }
      }
      rest += decoder.decode();
      if (rest !== "") push(rest);
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    throw inputError(file, member, error);
  }
}

/** The same lines one at a time; convenient where speed does not matter. */
export async function* readLines(
  file: string,
  options?: ReadLinesOptions,
): AsyncGenerator<InputLine> {
  for await (const batch of readLineBatches(file, options)) yield* batch;
}
