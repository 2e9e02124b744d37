import { lstat, readdir, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { ACCEPTED_NAMES, isArchiveName } from "./archive-members.js";
import { notTweetData } from "./not-tweet-data.js";

/** The argument that stands for standard input. */
export const STDIN = "-";

/** A directory entry that is not loaded, and why. */
export interface SkippedPath {
  path: string;
  reason: string;
}

export interface ArchiveList {
  /** Archives in load order (`-` stays as given). */
  files: string[];
  /** Entries of the directories given that are not archives. */
  skipped: SkippedPath[];
}

/** Why an entry of a directory is not loaded, or null for an archive to load. */
async function entryVerdict(path: string, name: string): Promise<string | null> {
  const metadata = notTweetData(name);
  if (metadata !== null) return metadata;
  const own = await lstat(path);
  const info = own.isSymbolicLink() ? await stat(path).catch(() => null) : own;
  const link = own.isSymbolicLink() ? ` (a link to ${await readlink(path)})` : "";
  if (info === null) return `a broken symbolic link${link}: its target does not exist`;
  if (info.isDirectory()) {
    return `a directory${link}: directories inside a directory are not searched (name it to load it)`;
  }
  if (!info.isFile()) return `not a regular file${link}`;
  if (!isArchiveName(name)) return `not a name tweetload reads (${ACCEPTED_NAMES})`;
  return null;
}

/**
 * Expands the user's FILE|DIR arguments, the one listing of archives every command uses:
 * a directory stands for the archives directly in it, in name order, symbolic links to
 * files included; every other entry is listed in `skipped` with the reason, so that
 * nothing is left out without a word. A file (or `-`) is taken as given. A path that does
 * not exist, a broken link given by name, or a directory without archives is an
 * InputError naming it.
 */
export async function listArchives(paths: readonly string[]): Promise<ArchiveList> {
  const files: string[] = [];
  const skipped: SkippedPath[] = [];
  for (const path of paths) {
    if (path === STDIN) {
      if (files.includes(STDIN)) {
        throw new InputError(path, "standard input (-) can be given only once: it is read once");
      }
      files.push(path);
      continue;
    }
    const info = await stat(path).catch(async (error: unknown) => {
      const link = await lstat(path).catch(() => null);
      const what = link?.isSymbolicLink()
        ? `is a broken symbolic link (to ${await readlink(path)})`
        : "does not exist or cannot be read";
      throw new InputError(path, `${path} ${what}`, { cause: error });
    });
    if (!info.isDirectory()) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).sort();
    const found: string[] = [];
    for (const name of names) {
      const reason = await entryVerdict(join(path, name), name);
      if (reason === null) found.push(join(path, name));
      else skipped.push({ path: join(path, name), reason });
    }
    if (found.length === 0) {
      throw new InputError(
        path,
        `${path} holds no archives (${ACCEPTED_NAMES}); ${names.length} other entries were passed over`,
      );
    }
    files.push(...found);
  }
  return { files, skipped };
}
