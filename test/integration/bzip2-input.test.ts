import { execFileSync, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { readLines } from "../../src/input/read-lines.js";
import { projectPath } from "../../src/paths.js";
import { counts, urlFlags } from "./fault-helpers.js";
import { freshDatabase } from "./helpers/database.js";

// bzip2 is read wherever gzip is: a .jsonl.bz2 file, one in a folder, and standard input
// by its magic bytes (BZh) load the rows of the same lines uncompressed.

let dir: string;
let plain: string;
let compressed: Buffer;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-bzip2-"));
  const [zip] = await generateArchives({ outDir: join(dir, "gen"), files: 1, tweetsPerFile: 300 });
  const lines: string[] = [];
  for await (const line of readLines(zip as string)) lines.push(line.text);
  plain = join(dir, "day.jsonl");
  await writeFile(plain, `${lines.join("\n")}\n`);
  compressed = execFileSync("bzip2", ["-c", plain]);
  await mkdir(join(dir, "folder"));
  await writeFile(join(dir, "folder", "day.jsonl.bz2"), compressed);
});

afterAll(async () => {
  for (const drop of cleanups) await drop();
  await rm(dir, { recursive: true, force: true });
});

/** The CLI run to its end, with `input` on its standard input. */
function cli(args: string[], input?: Buffer): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [projectPath("bin", "tweetload.js"), ...args], {
      stdio: ["pipe", "ignore", "inherit"],
    });
    child.stdin.end(input);
    child.on("close", resolve);
  });
}

describe("bzip2 input", () => {
  it("loads a .jsonl.bz2 file, a folder holding one, and bzip2 on standard input as the plain lines", async () => {
    const databases = await Promise.all([0, 1, 2, 3].map(() => freshDatabase("normalized_batch")));
    cleanups.push(...databases.map((d) => d.drop));
    const [clean, file, folder, stdin] = databases.map((d) => d.url) as string[];
    const load = (url: string, path: string, input?: Buffer) =>
      cli(
        [
          "load",
          "--db",
          "normalized_batch",
          "-j",
          "1",
          ...urlFlags({ normalized_batch: url }),
          path,
        ],
        input,
      );
    expect(await load(clean as string, plain)).toBe(0);
    expect(await load(file as string, join(dir, "folder", "day.jsonl.bz2"))).toBe(0);
    expect(await load(folder as string, join(dir, "folder"))).toBe(0);
    expect(await load(stdin as string, "-", compressed)).toBe(0);
    const want = await counts("normalized_batch", clean as string);
    expect(want.tweets).toBe(300);
    for (const url of [file, folder, stdin]) {
      expect(await counts("normalized_batch", url as string)).toEqual(want);
    }
  });
});
