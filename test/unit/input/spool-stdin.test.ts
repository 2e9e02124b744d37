import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
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
});
