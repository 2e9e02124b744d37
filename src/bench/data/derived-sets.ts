import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import yazl from "yazl";
import { UserError } from "../../errors.js";
import { writeZipFile } from "../../generate/write-zip-file.js";
import { archiveMembers } from "../../input/archive-members.js";
import { listArchives } from "../../input/list-archives.js";
import { openMember } from "../../input/open-member.js";
import { type DataSource, exists, type GenerateFn } from "./data-sets.js";

const COMPLETE = ".complete";

/**
 * The lines of every archive of `source`, in order, as one stream of bytes: each
 * member's bytes as they are (a line the loaders reject stays rejected), with a
 * line end added where a member lacks its last one.
 */
async function* concatenatedLines(archives: readonly string[]): AsyncGenerator<Buffer> {
  for (const file of archives) {
    for await (const member of archiveMembers(file)) {
      if (member.skipped) continue;
      const opened = await openMember(member);
      if (opened.array) {
        throw new UserError(
          `the one-file case concatenates JSON lines, but ${file} holds one JSON array: leave one-file out of --cases for this data.`,
        );
      }
      let last = 0x0a;
      for await (const chunk of opened.chunks) {
        if (chunk.length === 0) continue;
        last = chunk[chunk.length - 1] as number;
        yield chunk;
      }
      if (last !== 0x0a) yield Buffer.from("\n");
    }
  }
}

/**
 * The same tweets as `source` in one zip archive of one member, made once and
 * again when the set's archives change (the marker of a finished copy lists them).
 */
export async function oneFileDataSet(source: DataSource, root: string): Promise<DataSource> {
  const dir = join(root, `${source.key}-one-file-${source.dir.replace(/[^a-z0-9]+/gi, "_")}`);
  const path = join(dir, "all-tweets.zip");
  // Made again when any archive of the set changed (a --data folder the user edits).
  const made = await readFile(join(dir, COMPLETE), "utf8").catch(() => "");
  const sources = JSON.stringify(
    await Promise.all(
      source.archives.map(async (f) => {
        const s = await stat(f);
        return [f, s.size, s.mtimeMs];
      }),
    ),
  );
  if (made !== sources) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const zip = new yazl.ZipFile();
    zip.addReadStream(Readable.from(concatenatedLines(source.archives)), "all-tweets.jsonl", {
      compress: true,
      compressionLevel: 6,
    });
    zip.end();
    await writeZipFile(zip, path);
    await writeFile(join(dir, COMPLETE), sources);
  }
  return {
    key: `one-file:${source.key}`,
    dir,
    archives: [path],
    derived: { of: source.key, shape: "one-file" },
  };
}

/** The generated set's tweets written as API v2 response pages (same seed and sizes). */
export async function v2PagesDataSet(
  source: DataSource & { tweetsPerFile: number },
  seed: number,
  root: string,
  generate: GenerateFn,
  log: (line: string) => void,
): Promise<DataSource> {
  const files = source.archives.length;
  const dir = join(root, `${files}x${source.tweetsPerFile}-seed${seed}-v2-pages`);
  if (!(await exists(join(dir, COMPLETE)))) {
    log(`generating the same tweets as v2 pages into ${dir} …`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    await generate({
      outDir: dir,
      files,
      tweetsPerFile: source.tweetsPerFile,
      seed,
      format: "v2-pages",
    });
    await writeFile(join(dir, COMPLETE), `${new Date().toISOString()}\n`);
  }
  return {
    key: `v2-pages:${source.key}`,
    dir,
    archives: (await listArchives([dir])).files,
    derived: { of: source.key, shape: "v2-pages" },
  };
}
