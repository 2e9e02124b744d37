import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { isArchiveName } from "./archive-members.js";
import { InputError } from "./input-error.js";

/**
 * Expands the user's FILE|DIR arguments: a directory stands for the archives directly in
 * it (.zip, .jsonl, .json, .jsonl.gz) in name order; a file is taken as given. A path that
 * does not exist is an InputError naming it.
 */
export async function listArchives(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((error: unknown) => {
      throw new InputError(path, `${path} does not exist or cannot be read`, { cause: error });
    });
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const entries = (await readdir(path, { withFileTypes: true })).filter((d) =>
      isArchiveName(d.name),
    );
    const names: string[] = [];
    for (const d of entries) {
      // A symbolic link counts when it leads to a file.
      const isFile =
        d.isFile() ||
        (d.isSymbolicLink() && (await stat(join(path, d.name)).catch(() => null))?.isFile());
      if (isFile) names.push(d.name);
    }
    names.sort();
    if (names.length === 0) {
      throw new InputError(path, `${path} holds no .zip, .jsonl, .json or .jsonl.gz files`);
    }
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}
