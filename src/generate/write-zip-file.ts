import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { finished } from "node:stream/promises";
import type yazl from "yazl";

/**
 * Writes an ended zip to `path` through `path.partial`, renamed once whole: a killed run
 * never leaves a file under the final name that a later run would take for complete.
 */
export async function writeZipFile(zip: yazl.ZipFile, path: string): Promise<void> {
  const tmp = `${path}.partial`;
  const out = createWriteStream(tmp);
  zip.outputStream.pipe(out);
  await Promise.race([
    finished(out),
    once(zip.outputStream, "error").then(([e]) => Promise.reject(e)),
  ]);
  await rename(tmp, path);
}
