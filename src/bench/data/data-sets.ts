import { access, mkdir, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { ArchiveFormat } from "../../generate/v2-lines.js";
import { listArchives } from "../../input/list-archives.js";
import type { DerivedShape } from "../types.js";

/** Makes `files` archives of `tweetsPerFile` tweets in `outDir` (the data engineer's generator). */
export type GenerateFn = (opts: {
  outDir: string;
  files: number;
  tweetsPerFile: number;
  seed: number;
  format?: ArchiveFormat;
}) => Promise<unknown>;

/** A data set on disk, before extraction. */
export interface DataSource {
  key: string;
  dir: string;
  archives: string[];
  tweetsPerFile?: number;
  /** Set for the same tweets as another set, in another shape (see DataSet.derived). */
  derived?: { of: string; shape: DerivedShape };
}

const COMPLETE = ".complete";

/**
 * The generated set for one size in `root`, generated now if it is missing or
 * was cut short (a marker file is written only after the generator finished).
 */
export async function generatedDataSet(
  root: string,
  wanted: { files: number; tweetsPerFile: number; seed: number },
  generate: GenerateFn,
  log: (line: string) => void,
): Promise<DataSource> {
  const key = `${wanted.files}x${wanted.tweetsPerFile}`;
  const dir = join(root, `${key}-seed${wanted.seed}`);
  if (!(await exists(join(dir, COMPLETE)))) {
    log(`generating ${wanted.files} files × ${wanted.tweetsPerFile} tweets into ${dir} …`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await generate({ outDir: dir, ...wanted });
    await writeFile(join(dir, COMPLETE), `${new Date().toISOString()}\n`);
  }
  return {
    key,
    dir,
    archives: (await listArchives([dir])).files,
    tweetsPerFile: wanted.tweetsPerFile,
  };
}

/** A user's own folder of archives. */
export async function givenDataSet(dir: string): Promise<DataSource> {
  const { files: archives } = await listArchives([dir]);
  return { key: basename(dir) || dir, dir, archives };
}

export async function totalSize(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const f of files) total += (await stat(f)).size;
  return total;
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
