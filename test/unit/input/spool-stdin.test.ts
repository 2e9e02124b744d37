import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { makeSpoolFolder } from "../../../src/input/spool-folders.js";
import { spoolStreams } from "../../../src/input/spool-stdin.js";

describe("spoolStreams", () => {
  it.each([
    ["JSON lines", Buffer.from('{"a":1}\n'), "stdin.json"],
    ["gzip, by its magic bytes", gzipSync('{"a":1}\n'), "stdin.json.gz"],
  ])("copies standard input holding %s to a file named for it", async (_, bytes, name) => {
    const spooled = await spoolStreams(["a.zip", "-"], Readable.from([bytes]));
    const copy = spooled.files[1] as string;
    expect(spooled.files[0]).toBe("a.zip");
    expect(basename(copy)).toBe(name);
    expect(await readFile(copy)).toEqual(bytes);
    expect(spooled.copies.get(copy)).toBe("standard input");
    await spooled.cleanup();
    await expect(stat(copy)).rejects.toThrow(/ENOENT/);
  });

  it("refuses empty standard input with a sentence", async () => {
    await expect(spoolStreams(["-"], Readable.from([]))).rejects.toThrow(
      /standard input is empty \(0 bytes\): nothing to load/,
    );
  });

  it("knows a gzipped and a plain copy of the same bytes as one content, by a path made of it", async () => {
    const bytes = Buffer.from('{"a":1}\n{"b":2}\n');
    const identities = [];
    for (const piped of [bytes, gzipSync(bytes)]) {
      const spooled = await spoolStreams(["-"], Readable.from([piped]));
      const { stamp: _stamp, ...identity } =
        spooled.identities.get(spooled.files[0] as string) ?? {};
      identities.push(identity);
      await spooled.cleanup();
    }
    expect(identities[1]).toEqual(identities[0]);
    expect(identities[0]).toMatchObject({
      fileName: "stdin.json",
      size: bytes.length,
      path: expect.stringMatching(/^stdin\/[0-9a-f]{40}\/stdin\.json$/),
    });
  });

  it("removes the spool folders of loads that are gone, and keeps those of running ones", async () => {
    const saved = process.env.TMPDIR;
    const dir = await mkdtemp(join(tmpdir(), "tweetload-spools-"));
    process.env.TMPDIR = dir;
    try {
      const gone = spawnSync(process.execPath, ["-e", "0"]).pid as number;
      await mkdir(join(dir, `tweetload-stdin-${gone}-123-abcdef`));
      const mine = basename(await makeSpoolFolder());
      await mkdir(join(dir, "tweetload-stdin-made-by-an-older-tweetload"));
      const spooled = await spoolStreams(["a.zip"], Readable.from([]));
      expect(spooled.files).toEqual(["a.zip"]);
      expect((await readdir(dir)).sort()).toEqual(
        [mine, "tweetload-stdin-made-by-an-older-tweetload"].sort(),
      );
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
