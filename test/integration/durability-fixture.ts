import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { DB_KINDS, type Targets } from "../../src/db/kinds.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLines } from "../../src/input/read-lines.js";
import { runLoad } from "../../src/run/run-load.js";
import { allCounts } from "./fault-helpers.js";
import { freshTargets } from "./helpers/database.js";

const run = promisify(execFile);

/** Files, databases and cleanup of one test file of the durability tests (docs/faults.md). */
export class DurabilityFixture {
  dir = "";
  /** Tweet lines of a generated archive (compact JSON, ~3.5 KB each). */
  tweets: string[] = [];
  private readonly cleanups: Array<() => Promise<void>> = [];

  async setUp(prefix: string, count: number): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), prefix));
    const [archive] = await generateArchives({
      outDir: join(this.dir, "gen"),
      files: 1,
      tweetsPerFile: count,
      seed: 14,
    });
    for await (const line of readLines(archive as string)) this.tweets.push(line.text);
  }

  async tearDown(): Promise<void> {
    for (const cleanup of this.cleanups.reverse()) await cleanup().catch(() => {});
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Fresh databases of all three kinds, dropped at tearDown. */
  async targets(): Promise<Targets> {
    const t = await freshTargets();
    this.cleanups.push(t.drop);
    return t.targets;
  }

  /** Writes `lines` as a JSON-lines file under the test's directory; returns its path. */
  async file(name: string, lines: readonly string[]): Promise<string> {
    const path = join(this.dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, `${lines.join("\n")}\n`);
    return path;
  }

  /**
   * Mounts a tmpfs (`options`: e.g. "size=100k" or "size=16k,ro") at a new directory and
   * unmounts it at tearDown. Needs root.
   */
  async tmpfs(name: string, options: string): Promise<string> {
    const at = join(this.dir, name);
    await mkdir(at, { recursive: true });
    await run("mount", ["-t", "tmpfs", "-o", options, "tmpfs", at]);
    this.cleanups.push(async () => {
      await run("umount", [at]);
    });
    return at;
  }

  /** Row counts of the databases after one clean load of `files`, in fresh databases. */
  async cleanCounts(files: string[], extra: Partial<Parameters<typeof runLoad>[0]> = {}) {
    const t = await this.targets();
    const result = await load(t, files, join(this.dir, "clean-rejects"), extra);
    if (result.totals.failed > 0) throw new Error("the clean reference load failed");
    return allCounts(t);
  }
}

/** Loads `files` into every database of `t`, sequentially unless `extra` says otherwise. */
export const load = (
  t: Partial<Targets>,
  files: string[],
  rejectsDir: string,
  extra: Partial<Parameters<typeof runLoad>[0]> = {},
) =>
  runLoad({
    files,
    dbs: DB_KINDS.filter((k) => t[k]),
    targets: t,
    jobs: 1,
    batchSize: 50,
    rejectsDir,
    maxRejects: 1000,
    ...extra,
  });

/** A reject record as the reject files hold it. */
export interface RejectRecord {
  file: string;
  path: string;
  member: string | null;
  lineNo: number;
  text: string;
  error: string;
}

/** Every reject file in `dir` (by name) with its records. */
export async function rejectFiles(dir: string): Promise<Map<string, RejectRecord[]>> {
  const out = new Map<string, RejectRecord[]>();
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.sort()) {
    const text = await readFile(join(dir, name), "utf8");
    out.set(
      name,
      text
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l) as RejectRecord),
    );
  }
  return out;
}

/** True when this process may mount file systems; tests that need it say so when skipped. */
export const isRoot = process.getuid?.() === 0;
