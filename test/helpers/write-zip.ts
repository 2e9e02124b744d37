import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import yazl from "yazl";

/** Writes a zip of `members` ([name, bytes or text]), deflated, in the order given. */
export async function writeZip(
  path: string,
  members: ReadonlyArray<readonly [string, string | Buffer]>,
): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of members) zip.addBuffer(Buffer.from(data), name);
  zip.end();
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  await finished(out);
}
