import { readFile, stat } from "node:fs/promises";
import { basename } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { spoolStreams } from "../../../src/input/spool-stdin.js";
import { bzip2 } from "./tar-helpers.js";

/** The first 1,024 bytes of a tar of one member: a ustar header, then the data. */
function tarBytes(): Buffer {
  const header = Buffer.alloc(512);
  header.write("a.jsonl", 0);
  header.write("ustar", 257);
  return Buffer.concat([header, Buffer.from('{"a":1}\n'.padEnd(512, "\n"))]);
}

describe("spoolStreams", () => {
  it.each([
    ["JSON lines", Buffer.from('{"a":1}\n'), "stdin.json"],
    ["gzip, by its magic bytes", gzipSync('{"a":1}\n'), "stdin.json.gz"],
    ["bzip2, by its magic bytes", bzip2('{"a":1}\n'), "stdin.json.bz2"],
    ["a tar, by its header", tarBytes(), "stdin.tar"],
    ["a gzipped tar", gzipSync(tarBytes()), "stdin.tar.gz"],
    ["a tar in bzip2", bzip2(tarBytes()), "stdin.tar.bz2"],
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
