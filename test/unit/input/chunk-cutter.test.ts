import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotChunkableError } from "../../../src/errors.js";
import { cutChunks, type FileChunk } from "../../../src/input/chunk-cutter.js";
import { readRawChunks } from "../../../src/input/raw-chunks.js";
import { readLines } from "../../../src/input/read-lines.js";
import type { InputLine, InputOptions } from "../../../src/input/types.js";
import { writeZip } from "../../helpers/write-zip.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-cutter-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cut(file: string, lines: number, options: InputOptions = {}) {
  const out: FileChunk[] = [];
  for await (const chunk of cutChunks(file, lines, options)) out.push(chunk);
  return out;
}

/** Every line of the file read whole, and read chunk by chunk through the same reader. */
async function linesBothWays(file: string, lines: number, options: InputOptions = {}) {
  const whole: InputLine[] = [];
  for await (const line of readLines(file, options)) whole.push(line);
  const chunked: InputLine[] = [];
  for (const chunk of await cut(file, lines, options)) {
    for await (const line of readLines(file, { ...options, chunk })) chunked.push(line);
  }
  return { whole, chunked };
}

const tweet = (n: number) => `{"id":${1_346_930_000_000_000_000n + BigInt(n)},"user":{"id":${n}}}`;

describe("cutChunks", () => {
  it("cuts a plain file at every L-th line, blank lines counted, the last chunk short", async () => {
    const file = join(dir, "ten.jsonl");
    const lines = Array.from({ length: 10 }, (_, i) => (i === 4 ? "" : tweet(i)));
    await writeFile(file, `${lines.join("\n")}\n`);
    const chunks = await cut(file, 3);
    expect(chunks.map((c) => [c.member, c.index, c.firstLineNo, c.lines])).toEqual([
      [null, 0, 1, 3],
      [null, 1, 4, 3],
      [null, 2, 7, 3],
      [null, 3, 10, 1],
    ]);
    // The bytes as in the file, line endings included.
    expect(Buffer.concat(chunks.map((c) => c.data)).toString()).toBe(`${lines.join("\n")}\n`);
    expect(chunks[1]?.data.toString()).toBe(`${tweet(3)}\n\n${tweet(5)}\n`);
  });

  it("cuts the same chunks every time, and a last line without a newline is a line", async () => {
    const file = join(dir, "no-final-newline.jsonl");
    await writeFile(file, [0, 1, 2, 3, 4].map(tweet).join("\r\n"));
    const a = await cut(file, 2);
    const b = await cut(file, 2);
    expect(a.map((c) => c.data.toString())).toEqual(b.map((c) => c.data.toString()));
    expect(a.map((c) => c.lines)).toEqual([2, 2, 1]);
    expect(a[2]?.data.toString()).toBe(`${tweet(4)}\n`);
  });

  it("cuts a member bigger than a chunk on its own: its chunks count from 0 and from its line 1", async () => {
    const file = join(dir, "two.zip");
    const a = [0, 1, 2, 3, 4].map(tweet).join("\n");
    const b = [5, 6, 7].map(tweet).join("\n");
    await writeZip(file, [
      ["b.jsonl", b],
      ["__MACOSX/._a.jsonl", "junk"],
      ["a.jsonl", a],
    ]);
    const skipped: string[] = [];
    const chunks = await cut(file, 2, { onSkippedMember: (m) => skipped.push(m.name) });
    expect(chunks.map((c) => [c.member, c.index, c.firstLineNo, c.lines])).toEqual([
      ["a.jsonl", 0, 1, 2],
      ["a.jsonl", 1, 3, 2],
      ["a.jsonl", 2, 5, 1],
      ["b.jsonl", 0, 1, 2],
      ["b.jsonl", 1, 3, 1],
    ]);
    expect(skipped).toEqual(["__MACOSX/._a.jsonl"]);
  });

  it("gives the reader exactly the lines of the whole file: numbers, members, BOM, \\r, not UTF-8", async () => {
    const file = join(dir, "mixed.zip");
    const bad = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]); // "{", two bytes that are not UTF-8, "}"
    const member = Buffer.concat([
      Buffer.from(`\ufeff${tweet(1)}\r\n\r\n  \n${tweet(2)}\n`),
      bad,
      Buffer.from(`\n${tweet(3)}\n{"delete":{}}\n`),
    ]);
    await writeZip(file, [
      ["a.jsonl", member],
      ["b.jsonl", `${tweet(4)}\nnot json\n`],
    ]);
    for (const lines of [1, 2, 3, 100]) {
      const { whole, chunked } = await linesBothWays(file, lines);
      expect(chunked).toEqual(whole);
    }
    const { whole } = await linesBothWays(file, 2);
    expect(whole.map((l) => [l.member, l.lineNo, l.error === undefined])).toContainEqual([
      "a.jsonl",
      5,
      false,
    ]);
  });

  it("keeps only the head of an over-long line, across read pieces, and the reader rejects it as for the whole file", async () => {
    const file = join(dir, "long.jsonl");
    const long = `{"id":1,"text":"${"x".repeat(300_000)}"}`; // spans the reader's 128 KB pieces
    await writeFile(file, `${tweet(1)}\n${long}\n${tweet(2)}\n${"y".repeat(5000)}\n${tweet(3)}`);
    const options = { maxLineBytes: 4096 };
    const chunks = await cut(file, 2, options);
    // Memory stays bounded: no chunk holds the long lines.
    expect(Math.max(...chunks.map((c) => c.data.length))).toBeLessThan(4096);
    expect(chunks.flatMap((c) => (c.long ?? []).map((l) => [l.lineNo, l.bytes]))).toEqual([
      [2, long.length],
      [4, 5000],
    ]);
    const { whole, chunked } = await linesBothWays(file, 2, options);
    expect(chunked).toEqual(whole);
    expect(whole.filter((l) => l.error).map((l) => l.lineNo)).toEqual([2, 4]);
    // The COPY loaders' raw reader sets the same lines apart, with the same reasons.
    const raw = async (opts: InputOptions) => {
      const lineNos: number[] = [];
      const bad: Array<[number, string | undefined]> = [];
      for await (const c of readRawChunks(file, opts)) {
        lineNos.push(...c.lineNos);
        bad.push(...(c.bad ?? []).map((l): [number, string | undefined] => [l.lineNo, l.error]));
      }
      return { lineNos, bad };
    };
    const rawChunked = { lineNos: [] as number[], bad: [] as Array<[number, string | undefined]> };
    for (const chunk of chunks) {
      const r = await raw({ ...options, chunk });
      rawChunked.lineNos.push(...r.lineNos);
      rawChunked.bad.push(...r.bad);
    }
    expect(rawChunked).toEqual(await raw(options));
  });

  it("regression: one chunk per member made 10,000 one-tweet members 10,000 chunks; small members are gathered", async () => {
    const file = join(dir, "small-members.zip");
    const members: Array<[string, string]> = [];
    for (let i = 0; i < 7; i++) members.push([`m${i}.jsonl`, `${tweet(i)}\n`]);
    // A member of five lines in the middle: it fills chunks of its own.
    members.splice(3, 0, ["m2b.jsonl", [10, 11, 12, 13, 14].map(tweet).join("\n")]);
    // Over-long lines, in a gathered member, keep their member.
    members.push(["m7.jsonl", `${tweet(20)}\n${"z".repeat(5000)}\n`]);
    await writeZip(file, members);
    const options = { maxLineBytes: 4096 };
    const chunks = await cut(file, 2, options);
    const shape = chunks.map((c) => [
      c.member,
      c.index,
      c.lines,
      (c.parts ?? []).map((p) => p.member),
    ]);
    expect(shape).toEqual([
      ["m0.jsonl", 0, 2, ["m0.jsonl", "m1.jsonl"]],
      ["m2.jsonl", 0, 1, []],
      ["m2b.jsonl", 0, 2, []],
      ["m2b.jsonl", 1, 2, []],
      ["m2b.jsonl", 2, 1, []],
      ["m3.jsonl", 0, 2, ["m3.jsonl", "m4.jsonl"]],
      ["m5.jsonl", 0, 2, ["m5.jsonl", "m6.jsonl"]],
      ["m7.jsonl", 0, 2, []],
    ]);
    for (const lines of [2, 3, 100]) {
      const { whole, chunked } = await linesBothWays(file, lines, options);
      expect(chunked).toEqual(whole);
      expect(whole.filter((l) => l.error).map((l) => [l.member, l.lineNo])).toEqual([
        ["m7.jsonl", 2],
      ]);
    }
    const gathered = await cut(file, 100, options);
    expect(gathered.map((c) => [c.member, c.lines, c.parts?.length])).toEqual([
      ["m0.jsonl", 14, 9],
    ]);
    expect(gathered[0]?.long?.map((l) => [l.part, l.lineNo])).toEqual([[8, 2]]);
  });

  it("refuses a member that holds one JSON array (its elements span lines)", async () => {
    const file = join(dir, "array.json");
    await writeFile(file, `[${tweet(1)},\n${tweet(2)}]`);
    await expect(cut(file, 1)).rejects.toBeInstanceOf(NotChunkableError);
  });
});
