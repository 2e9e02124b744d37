import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listArchives } from "../../src/input/list-archives.js";
import { projectPath } from "../../src/paths.js";

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-sh-list-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** list_archives of scripts/lib/common.sh on `data`: the files and the passed-over lines. */
async function shellList(data: string) {
  const script = `SCRIPT_DIR="${projectPath("scripts")}"; . "$SCRIPT_DIR/lib/common.sh"; list_archives`;
  const { stdout, stderr } = await run("sh", ["-c", script, "list"], {
    env: { ...process.env, TWEETLOAD_DATA_DIR: data },
  });
  const skipped = stderr
    .trim()
    .split("\n")
    .map((l) => /^list: passed over (.*?): (.*)$/.exec(l))
    .map((m) => ({ path: m?.[1], reason: m?.[2] }));
  return { files: stdout.trim().split("\n"), skipped };
}

describe("scripts' list_archives", () => {
  it("takes the names, links and reasons that tweetload load takes, and never globs a name", async () => {
    const d = join(dir, "data");
    await mkdir(join(d, "sub"), { recursive: true });
    const names = [
      "a day.jsonl",
      "b*.json.gz",
      "c'quote\".NDJSON",
      "d.zip",
      "e.ndjson.gz",
      "f.txt",
      "._d.zip",
      ".hidden.jsonl",
      "g.zip.gz",
      "j.tar",
      "k.tgz",
      "l.json.bz2",
      "m.tar.zip",
    ];
    for (const name of names) await writeFile(join(d, name), "{}\n");
    await writeFile(join(dir, "outside.jsonl"), "{}\n");
    await symlink(join(dir, "outside.jsonl"), join(d, "h-link.jsonl"));
    await symlink(join(dir, "gone.jsonl"), join(d, "i-broken.jsonl"));
    const shell = await shellList(d);
    const node = await listArchives([d]);
    expect(shell.files).toEqual(node.files);
    expect(shell.files.map((f) => f.slice(d.length + 1))).toEqual([
      ".hidden.jsonl",
      "a day.jsonl",
      "b*.json.gz",
      "c'quote\".NDJSON",
      "d.zip",
      "e.ndjson.gz",
      "h-link.jsonl",
      "j.tar",
      "k.tgz",
      "l.json.bz2",
      "m.tar.zip",
    ]);
    const byPath = <T extends { path?: string | undefined }>(xs: T[]) =>
      [...xs].sort((a, b) => String(a.path).localeCompare(String(b.path)));
    const first = (reason?: string) => reason?.split(/[:(]/)[0]?.trim();
    expect(byPath(shell.skipped).map((s) => [s.path, first(s.reason)])).toEqual(
      byPath(node.skipped).map((s) => [s.path, first(s.reason)]),
    );
    expect(shell.skipped).toHaveLength(5);
  });
});
