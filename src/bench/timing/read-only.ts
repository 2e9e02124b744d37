import { archiveMembers } from "../../input/archive-members.js";

/**
 * Reads and decompresses every archive as `load` does and throws the bytes away: the cost a
 * loader pays before it has parsed a single line. Returns the decompressed size.
 */
export async function readOnly(files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const file of files) {
    for await (const member of archiveMembers(file)) {
      if (member.skipped !== undefined) continue;
      for await (const chunk of await member.open()) bytes += (chunk as Buffer).length;
    }
  }
  return bytes;
}
