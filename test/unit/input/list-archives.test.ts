import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isArchiveName } from "../../../src/input/archive-members.js";
import { listArchives } from "../../../src/input/list-archives.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-list-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("isArchiveName", () => {
  it.each([
    ["a.zip", true],
    ["A.ZIP", true],
    ["a.jsonl", true],
    ["a.ndjson", true],
    ["a.json", true],
    ["a.jsonl.gz", true],
    ["a.ndjson.gz", true],
    ["a.json.gz", true],
    ["a.zip.gz", false],
    ["a.gz", false],
    ["a.txt", false],
    ["a.jsonl.bak", false],
  ])("%s → %s", (name, accepted) => {
    expect(isArchiveName(name)).toBe(accepted);
  });
});

describe("listArchives", () => {
  it("takes every accepted name and linked file, and says why it passed over the rest", async () => {
    const d = join(dir, "mixed");
    await mkdir(join(d, "nested"), { recursive: true });
    const outside = join(dir, "elsewhere.jsonl");
    await writeFile(outside, "{}\n");
    for (const name of [
      "b.zip",
      "c.json.gz",
      "d.ndjson",
      "e.ndjson.gz",
      "f.jsonl",
      "notes.txt",
      "._b.zip",
    ]) {
      await writeFile(join(d, name), "x");
    }
    await symlink(outside, join(d, "a-link.jsonl"));
    await symlink(join(dir, "missing.jsonl"), join(d, "broken.jsonl"));
    await symlink(join(d, "nested"), join(d, "dir-link.zip"));
    const { files, skipped } = await listArchives([d]);
    expect(files).toEqual(
      ["a-link.jsonl", "b.zip", "c.json.gz", "d.ndjson", "e.ndjson.gz", "f.jsonl"].map((n) =>
        join(d, n),
      ),
    );
    expect(
      skipped.map((s) => [s.path.slice(d.length + 1), s.reason.split(/[:(]/)[0]?.trim()]),
    ).toEqual([
      ["._b.zip", "macOS metadata"],
      ["broken.jsonl", "a broken symbolic link"],
      ["dir-link.zip", "a directory"],
      ["nested", "a directory"],
      ["notes.txt", "not a name tweetload reads"],
    ]);
    expect(skipped[1]?.reason).toContain(join(dir, "missing.jsonl"));
  });

  it("keeps - (standard input) as given, once", async () => {
    expect((await listArchives(["-"])).files).toEqual(["-"]);
    await expect(listArchives(["-", "-"])).rejects.toThrow(
      /standard input \(-\) can be given only once/,
    );
  });

  it("names a broken link given by name, and a directory without archives", async () => {
    const link = join(dir, "gone.jsonl");
    await symlink(join(dir, "nowhere"), link);
    await expect(listArchives([link])).rejects.toThrow(/gone\.jsonl is a broken symbolic link/);
    const empty = join(dir, "empty");
    await mkdir(empty);
    await writeFile(join(empty, "readme.md"), "");
    await expect(listArchives([empty])).rejects.toThrow(
      /empty holds no archives .*1 other entries/,
    );
  });
});
