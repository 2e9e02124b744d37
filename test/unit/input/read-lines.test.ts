import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { InputError } from "../../../src/errors.js";
import { listArchives } from "../../../src/input/list-archives.js";
import { readRawChunks } from "../../../src/input/raw-chunks.js";
import { readLineBatches, readLines } from "../../../src/input/read-lines.js";
import type { InputLine } from "../../../src/input/types.js";

let dir: string;

/** A zip of `members`; a member named `stored:…` is stored uncompressed. */
function writeZip(path: string, members: [string, string][]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of members) {
    if (name.endsWith("/")) zip.addEmptyDirectory(name);
    else if (name.startsWith("stored:")) {
      zip.addBuffer(Buffer.from(text, "utf8"), name.slice(7), { compress: false });
    } else zip.addBuffer(Buffer.from(text, "utf8"), name);
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (c: Buffer) => chunks.push(c));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => writeFile(path, Buffer.concat(chunks)).then(resolve, reject));
  });
}

async function all(file: string): Promise<InputLine[]> {
  const out: InputLine[] = [];
  for await (const line of readLines(file)) out.push(line);
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-input-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("readLines", () => {
  it("reads zip members in name order with member and line numbers", async () => {
    const file = join(dir, "a.zip");
    await writeZip(file, [
      ["b.jsonl", '{"b":1}\n{"b":2}\n'],
      ["dir/", ""],
      ["a.jsonl", '{"a":1}\r\n\r\n   \n{"a":2}'],
    ]);
    expect(await all(file)).toEqual([
      { file, member: "a.jsonl", lineNo: 1, text: '{"a":1}' },
      { file, member: "a.jsonl", lineNo: 4, text: '{"a":2}' },
      { file, member: "b.jsonl", lineNo: 1, text: '{"b":1}' },
      { file, member: "b.jsonl", lineNo: 2, text: '{"b":2}' },
    ]);
  });

  it("reads .jsonl, .json and .jsonl.gz by extension", async () => {
    const text = '{"x":"😷 ü"}\n\n{"y":2}\n';
    const expected = (file: string) => [
      { file, member: null, lineNo: 1, text: '{"x":"😷 ü"}' },
      { file, member: null, lineNo: 3, text: '{"y":2}' },
    ];
    for (const name of ["t.jsonl", "t.json"]) {
      const file = join(dir, name);
      await writeFile(file, text);
      expect(await all(file)).toEqual(expected(file));
    }
    const gz = join(dir, "t.jsonl.gz");
    await writeFile(gz, gzipSync(text));
    expect(await all(gz)).toEqual(expected(gz));
  });

  it("keeps multi-byte characters split across chunks and batches lines", async () => {
    const line = `{"t":"${"😷é".repeat(20_000)}"}`;
    const file = join(dir, "long.jsonl");
    await writeFile(file, `${line}\n`.repeat(5));
    const sizes: number[] = [];
    for await (const batch of readLineBatches(file, { batchLines: 2 })) {
      sizes.push(batch.length);
      for (const l of batch) expect(l.text).toBe(line);
    }
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(5);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
  });

  it.each([
    ["not a zip", "bad.zip", Buffer.from("this is not a zip archive")],
    ["an empty zip file", "empty.zip", Buffer.alloc(0)],
    ["not gzip", "bad.jsonl.gz", Buffer.from('{"a":1}\n')],
  ])("names the file when it is %s", async (_, name, bytes) => {
    const file = join(dir, name);
    await writeFile(file, bytes);
    const error = await all(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(file);
  });

  it("makes a line that is not UTF-8 that line's reject, also past the first chunk", async () => {
    const file = join(dir, "late-latin1.jsonl");
    const good = Buffer.from(`{"t":"${"é".repeat(50_000)}"}\n`.repeat(3));
    await writeFile(file, Buffer.concat([good, Buffer.from([0x7b, 0xe9, 0x7d, 0x0a]), good]));
    for (const byteStrings of [false, true]) {
      const lines: InputLine[] = [];
      for await (const l of readLines(file, { byteStrings })) lines.push(l);
      expect(lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      const bad = lines.filter((l) => l.error !== undefined);
      expect(bad.map((l) => [l.lineNo, l.text])).toEqual([[4, "{\ufffd}"]]);
      expect(bad[0]?.error).toMatch(/not UTF-8 text: byte 0xe9 at offset 1 of the line; convert/);
    }
  });

  it("drops a byte order mark at the start of each member, and only there", async () => {
    const file = join(dir, "bom.zip");
    await writeZip(file, [
      ["a.jsonl", '\ufeff{"a":1}\n\ufeff{"a":2}\n'],
      ["b.jsonl", '\ufeff{"b":1}\n'],
    ]);
    expect((await all(file)).map((l) => l.text)).toEqual(['{"a":1}', '\ufeff{"a":2}', '{"b":1}']);
  });

  it("reads stored and deflated members of one zip alike", async () => {
    const file = join(dir, "mixed.zip");
    const text = `{"t":"${"😷".repeat(100_000)}"}\n{"n":2}\n`;
    await writeZip(file, [
      ["stored:a.jsonl", text],
      ["b.jsonl", text],
    ]);
    const lines = await all(file);
    expect(lines.map((l) => [l.member, l.lineNo, l.text.length])).toEqual([
      ["a.jsonl", 1, 200_008],
      ["a.jsonl", 2, 7],
      ["b.jsonl", 1, 200_008],
      ["b.jsonl", 2, 7],
    ]);
  });

  it("regression: a batch a member made every loader's per-batch work once per tweet; batches go on across members", async () => {
    const file = join(dir, "batches.zip");
    const members = Array.from({ length: 250 }, (_, i): [string, string] => [
      `m${String(i).padStart(3, "0")}.jsonl`,
      `{"n":${i}}\n`,
    ]);
    await writeZip(file, members);
    const sizes: number[] = [];
    const seen: string[] = [];
    for await (const batch of readLineBatches(file, { batchLines: 100 })) {
      sizes.push(batch.length);
      seen.push(...batch.map((l) => `${l.member}:${l.lineNo}`));
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(seen).toEqual(members.map(([name]) => `${name}:1`));
  });

  it("names a zip whose compressed bytes are corrupt", async () => {
    const full = join(dir, "intact.zip");
    const text = Array.from({ length: 2000 }, (_, i) => `{"a":${i * 7919}}\n`).join("");
    await writeZip(full, [["m.jsonl", text]]);
    expect((await all(full)).length).toBe(2000);
    const { readFile } = await import("node:fs/promises");
    const bytes = Buffer.from(await readFile(full));
    bytes.fill(0xff, 200, 400); // inside the deflated data, after the local header
    const bad = join(dir, "garbled.zip");
    await writeFile(bad, bytes);
    await expect(all(bad)).rejects.toThrow(/garbled\.zip/);
  });

  it("names a truncated zip", async () => {
    const full = join(dir, "full.zip");
    await writeZip(full, [["m.jsonl", '{"a":1}\n'.repeat(1000)]]);
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(full);
    const cut = join(dir, "cut.zip");
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(all(cut)).rejects.toThrow(/cut\.zip/);
  });

  it("names a missing or unreadable file", async () => {
    await expect(all(join(dir, "missing.jsonl"))).rejects.toThrow(/missing\.jsonl/);
    await expect(all(join(dir, "missing.zip"))).rejects.toThrow(/missing\.zip/);
    if (process.getuid?.() !== 0) {
      const file = join(dir, "locked.jsonl");
      await writeFile(file, "{}\n");
      await chmod(file, 0);
      await expect(all(file)).rejects.toThrow(/locked\.jsonl/);
    }
  });

  it("gives byte strings only for lines without an escape, blank start or BOM", async () => {
    const file = join(dir, "bytes.zip");
    const member = [
      '\ufeff{"bom":"é"}', // BOM: decoded, and dropped
      '{"t":"Montréal 😷"}\r', // bytes; the \r still goes
      '{"t":"caf\\u00e9"}', // an escape: decoded
      "   ",
      ' {"lead":"é"}', // leading white space: decoded
      `{"long":"${"ü".repeat(70_000)}"}`, // spans chunks
      '{"a":1}',
    ].join("\n");
    await writeZip(file, [["m.jsonl", member]]);
    const read: InputLine[] = [];
    for await (const batch of readLineBatches(file, { byteStrings: true })) read.push(...batch);
    const plain = await all(file);
    expect(read.map((l) => [l.lineNo, l.byteString ?? false])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [5, false],
      [6, true],
      [7, true],
    ]);
    // A byte string is the line's UTF-8 bytes one per character: decoded, it is the text.
    read.forEach((line, i) => {
      const text = line.byteString ? Buffer.from(line.text, "latin1").toString("utf8") : line.text;
      expect(text).toBe(plain[i]?.text);
    });
    expect(read[1]?.text).not.toBe(plain[1]?.text);
  });

  it("skips zip members that are not tweet data and names each with its reason", async () => {
    const file = join(dir, "mac.zip");
    await writeZip(file, [
      ["day/", ""],
      ["day/tweets.jsonl", '{"a":1}\n'],
      ["__MACOSX/day/._tweets.jsonl", "\u0000\u0005\u0016\u0007Mac OS X"],
      ["day/._other.jsonl", "binary"],
      ["day/.DS_Store", "binary"],
    ]);
    for (const read of ["lines", "raw"] as const) {
      const skipped: string[] = [];
      const onSkippedMember = (m: { name: string; reason: string }) => {
        skipped.push(`${m.name}: ${m.reason.split(" (")[0]}`);
      };
      const texts: string[] = [];
      if (read === "lines") {
        for await (const l of readLines(file, { onSkippedMember })) texts.push(l.text);
      } else {
        for await (const c of readRawChunks(file, { onSkippedMember }))
          texts.push(c.data.toString());
      }
      expect(texts.join("").trim()).toBe('{"a":1}');
      expect(skipped).toEqual([
        "__MACOSX/day/._tweets.jsonl: macOS resource data",
        "day/: a directory entry",
        "day/.DS_Store: macOS folder settings",
        "day/._other.jsonl: macOS metadata",
      ]);
    }
  });

  it("refuses an unknown extension", async () => {
    await expect(all(join(dir, "notes.txt"))).rejects.toThrow(/notes\.txt.*\.zip/);
  });
});

describe("listArchives", () => {
  it("expands a directory into its archives in name order and keeps files as given", async () => {
    const sub = join(dir, "archives");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(sub);
    for (const name of ["b.zip", "a.jsonl.gz", "c.json", "readme.txt", "d.jsonl"]) {
      await writeFile(join(sub, name), "");
    }
    const single = join(dir, "t.jsonl");
    expect((await listArchives([sub, single])).files).toEqual([
      join(sub, "a.jsonl.gz"),
      join(sub, "b.zip"),
      join(sub, "c.json"),
      join(sub, "d.jsonl"),
      single,
    ]);
  });

  it("names a path that does not exist", async () => {
    await expect(listArchives([join(dir, "nope")])).rejects.toThrow(/nope does not exist/);
  });
});
