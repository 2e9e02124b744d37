import { mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MemberDamageError } from "../../../src/errors.js";
import { archiveMembers } from "../../../src/input/archive-members.js";
import { type FileChunk, memberChunks } from "../../../src/input/chunk-cutter.js";
import { readRawChunks } from "../../../src/input/raw-chunks.js";
import { readLines } from "../../../src/input/read-lines.js";
import { decodingAhead, tarUnits } from "../../../src/input/tar-units.js";
import type { InputLine, SkippedMember } from "../../../src/input/types.js";
import { bzip2, damaged, tweetLines, writeTar } from "./tar-helpers.js";

let dir: string;
const a = tweetLines(1, 3);
const b = tweetLines(10, 2);
const c = tweetLines(20, 4);
const d = tweetLines(30, 2);
const text = (lines: string[]) => `${lines.join("\n")}\n`;

/** Lines as (member, line number, text or error) for comparing. */
const shape = (lines: InputLine[]) =>
  lines.map((l) => [l.member, l.lineNo, l.error === undefined ? l.text : `ERR ${l.error}`]);

async function read(file: string) {
  const skipped: SkippedMember[] = [];
  const lines: InputLine[] = [];
  for await (const line of readLines(file, { onSkippedMember: (m) => skipped.push(m) }))
    lines.push(line);
  return { lines, skipped };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-tar-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("a tar read as it is", () => {
  it("reads .json.bz2, .json.gz and plain members in stored order and names every member it passes over", async () => {
    const file = join(dir, "month.tar");
    await writeTar(file, [
      { name: "2012/", type: "directory" },
      { name: "2012/01/01/00/00.json.bz2", data: bzip2(text(a)) },
      { name: "2012/01/01/00/01.json.gz", data: gzipSync(text(b)) },
      { name: "README.txt", data: Buffer.from("about this archive\n") },
      { name: "2012/01/01/00/02.jsonl", data: Buffer.from(text(c)) },
      { name: "extra/old.zip", data: Buffer.from("PK\u0003\u0004") },
      { name: "__MACOSX/._02.jsonl", data: Buffer.from("\u0000\u0005") },
      { name: "link.json", type: "symlink" },
      { name: "2012/01/01/00/00.json.bz2", data: bzip2(text(d)) },
    ]);
    const { lines, skipped } = await read(file);
    expect(shape(lines)).toEqual([
      ...a.map((t, i) => ["2012/01/01/00/00.json.bz2", i + 1, t]),
      ...b.map((t, i) => ["2012/01/01/00/01.json.gz", i + 1, t]),
      ...c.map((t, i) => ["2012/01/01/00/02.jsonl", i + 1, t]),
      // A path stored twice is read twice, each copy under its own name.
      ...d.map((t, i) => ["2012/01/01/00/00.json.bz2 (copy 2)", i + 1, t]),
    ]);
    expect(skipped.map((m) => [m.name, m.reason.split(/[:(]/)[0]?.trim()])).toEqual([
      ["2012/", "a directory entry"],
      ["README.txt", "not a name of tweet data"],
      ["extra/old.zip", "a zip inside the tar"],
      ["__MACOSX/._02.jsonl", "macOS resource data"],
      ["link.json", "a symlink entry, not a file"],
    ]);
  });

  it.each([
    ["bzip2", (x: Buffer) => damaged(bzip2(x)), ".json.bz2"],
    ["gzip", (x: Buffer) => damaged(gzipSync(x), 0.6), ".json.gz"],
  ])(
    "makes a %s member that fails its check one reject naming it, none of its lines, and reads on",
    async (_, broken, ending) => {
      const file = join(dir, `damaged${ending}.tar`);
      await writeTar(file, [
        { name: "00.jsonl", data: Buffer.from(text(a)) },
        { name: `01${ending}`, data: broken(Buffer.from(text(tweetLines(100, 2000)))) },
        { name: "02.jsonl", data: Buffer.from(text(c)) },
      ]);
      const { lines } = await read(file);
      const bad = lines.filter((l) => l.error !== undefined);
      expect(bad).toHaveLength(1);
      expect(bad[0]).toMatchObject({ member: `01${ending}`, lineNo: 1, text: "", damaged: true });
      expect(bad[0]?.error).toMatch(
        /^the member is damaged \(.+\): none of its lines were loaded$/,
      );
      expect(lines.filter((l) => l.error === undefined).map((l) => l.text)).toEqual([...a, ...c]);
      // The raw reader (denormalized) sees the same reject.
      const raw: InputLine[] = [];
      for await (const chunk of readRawChunks(file)) raw.push(...(chunk.bad ?? []));
      expect(shape(raw)).toEqual(shape(bad));
    },
  );

  it("makes the member a cut download ends in one reject, and keeps the members before it", async () => {
    const file = join(dir, "cut.tar");
    const last = bzip2(text(tweetLines(100, 500)));
    await writeTar(file, [
      { name: "00.json.bz2", data: bzip2(text(a)) },
      { name: "01.json.bz2", data: last },
    ]);
    // Cut inside the second member's bytes: its header and half its data are there.
    await truncate(file, 512 * 3 + Math.ceil(bzip2(text(a)).length / 512) * 512 + last.length / 2);
    const { lines } = await read(file);
    expect(lines.slice(0, 3).map((l) => l.text)).toEqual(a);
    expect(shape(lines.slice(3))).toEqual([
      [
        "01.json.bz2",
        1,
        "ERR the member is damaged (the archive ends inside it (a cut download?)): none of its lines were loaded",
      ],
    ]);
  });

  it("reads .tar.gz, .tgz and .tar.bz2 as the tar they hold", async () => {
    const plain = join(dir, "outer.tar");
    await writeTar(plain, [
      { name: "a.json.bz2", data: bzip2(text(a)) },
      { name: "b.ndjson", data: Buffer.from(text(b)) },
    ]);
    const expected = shape((await read(plain)).lines);
    const bytes = await readFile(plain);
    for (const [name, data] of [
      ["outer.tar.gz", gzipSync(bytes)],
      ["outer.tgz", gzipSync(bytes)],
      ["outer.tar.bz2", bzip2(bytes)],
    ] as const) {
      await writeFile(join(dir, name), data);
      expect(shape((await read(join(dir, name))).lines)).toEqual(expected);
    }
  });

  it("reads a .json member holding one JSON array element by element", async () => {
    const file = join(dir, "array.tar");
    await writeTar(file, [{ name: "x.json.gz", data: gzipSync(`[\n${a.join(",\n")}\n]\n`) }]);
    expect(shape((await read(file)).lines)).toEqual(a.map((t, i) => ["x.json.gz", i + 2, t]));
  });

  it("names a file that is not a tar", async () => {
    const file = join(dir, "not.tar");
    await writeFile(file, Buffer.alloc(2048, 0x41));
    await expect(read(file)).rejects.toThrow(
      /not\.tar is not a readable tar archive: Invalid tar header/,
    );
  });

  it("takes a tar by name in archiveMembers, and a .bz2 file as bzip2", async () => {
    const file = join(dir, "plain.jsonl.bz2");
    await writeFile(file, bzip2(text(b)));
    expect(shape((await read(file)).lines)).toEqual(b.map((t, i) => [null, i + 1, t]));
    const names: (string | null)[] = [];
    for await (const m of archiveMembers(join(dir, "outer.tar.gz"))) names.push(m.name);
    expect(names).toEqual(["a.json.bz2", "b.ndjson"]);
  });
});

describe("a tar's units of work (tarUnits)", () => {
  it("sends small members whole as stored, cuts big ones into chunks of lines, and a worker reads each as the file is read", async () => {
    const file = join(dir, "units.tar");
    const big = tweetLines(1000, 50);
    await writeTar(file, [
      { name: "00.json.bz2", data: bzip2(text(a)) },
      { name: "01.jsonl", data: Buffer.from(text(big)) },
      { name: "notes.txt", data: Buffer.from("x\n") },
      { name: "02.json.bz2", data: damaged(bzip2(text(tweetLines(5000, 3000)))) },
      { name: "03.json.gz", data: gzipSync(text(b)) },
      { name: "04.json.gz", data: damaged(gzipSync(text(tweetLines(7000, 100))), 0.6) },
    ]);
    const skipped: SkippedMember[] = [];
    const units = [];
    // Members over 4 KB stored are cut, 20 lines a chunk.
    for await (const u of tarUnits(file, 20, { onSkippedMember: (m) => skipped.push(m) }, 4096))
      units.push(u);
    expect(
      units.map((u) => [u.member, u.index, u.firstLineNo, u.lines, u.whole, u.compression]),
    ).toEqual([
      ["00.json.bz2", 0, 1, 0, true, "bzip2"],
      ["01.jsonl", 0, 1, 20, undefined, undefined],
      ["01.jsonl", 1, 21, 20, undefined, undefined],
      ["01.jsonl", 2, 41, 10, undefined, undefined],
      // Damaged and big: decoded here, the damage found before any of its lines.
      ["02.json.bz2", 0, 1, 0, undefined, undefined],
      ["03.json.gz", 0, 1, 0, true, "gzip"],
      ["04.json.gz", 0, 1, 0, true, "gzip"],
    ]);
    expect(units[4]?.damage).toMatch(/cannot decode it/);
    expect(skipped.map((m) => m.name)).toEqual(["notes.txt"]);
    // Each unit read as a worker reads it gives the lines of the whole tar, rejects
    // included; so do the units decoded ahead (here, off the worker).
    const whole = shape((await read(file)).lines);
    const linesOf = async (us: FileChunk[]) => {
      const lines: InputLine[] = [];
      for (const unit of us) for await (const l of readLines(file, { chunk: unit })) lines.push(l);
      return shape(lines);
    };
    expect(await linesOf(units)).toEqual(whole);
    const ahead: FileChunk[] = [];
    for await (const u of decodingAhead(tarUnits(file, 20, {}, 4096), 2)) ahead.push(u);
    expect(ahead.map((u) => [u.member, u.whole, u.compression, u.damage !== undefined])).toEqual([
      ["00.json.bz2", true, undefined, false],
      ["01.jsonl", undefined, undefined, false],
      ["01.jsonl", undefined, undefined, false],
      ["01.jsonl", undefined, undefined, false],
      ["02.json.bz2", undefined, undefined, true],
      ["03.json.gz", true, undefined, false],
      ["04.json.gz", true, undefined, true],
    ]);
    expect(await linesOf(ahead)).toEqual(whole);
    // A unit whose bytes fill their whole buffer is sent to its worker by transferring that
    // buffer, which detaches it: no other unit, of this run over the tar or the next (one
    // per database), may hold it. (An empty damaged unit shared one: the next database's
    // load of it failed.)
    const again: FileChunk[] = [];
    for await (const u of decodingAhead(tarUnits(file, 20, {}, 4096), 2)) again.push(u);
    const owned = [...ahead, ...again]
      .map((u) => u.data)
      .filter((d) => d.byteOffset === 0 && d.byteLength === d.buffer.byteLength)
      .map((d) => d.buffer);
    expect(owned.length).toBeGreaterThanOrEqual(2);
    expect(new Set(owned).size).toBe(owned.length);
  });

  it("passes over a member too big to send whole that holds one JSON array, saying how to load it", async () => {
    const file = join(dir, "big-array.tar");
    await writeTar(file, [
      { name: "a.json", data: Buffer.from(`[${tweetLines(1, 100).join(",\n")}]`) },
      { name: "b.json", data: Buffer.from(text(b)) },
    ]);
    const skipped: SkippedMember[] = [];
    const units = [];
    for await (const u of tarUnits(file, 20, { onSkippedMember: (m) => skipped.push(m) }, 1024))
      units.push(u);
    expect(units.map((u) => [u.member, u.index])).toEqual([["b.json", 0]]);
    expect(skipped).toEqual([
      {
        name: "a.json",
        reason: expect.stringMatching(
          /^one JSON array of \d+ stored bytes, too big to load in parallel: extract it and load it as a file, or load the tar with --chunk-lines 0$/,
        ),
      },
    ]);
  });

  it("keeps the lines before damage found past the held bytes, cut into chunks, and rejects the rest from the line it broke in", async () => {
    // A big member decoded here: 7 lines and half of an eighth, then its decoder fails.
    async function* pieces() {
      yield Buffer.from(`${tweetLines(1, 7).join("\n")}\n{"id":8,"te`);
      throw new MemberDamageError("bad block");
    }
    const chunks: FileChunk[] = [];
    for await (const c of memberChunks("big.json.bz2", pieces(), 3, 1 << 20)) chunks.push(c.chunk);
    expect(chunks.map((c) => [c.index, c.firstLineNo, c.lines, c.damage])).toEqual([
      [0, 1, 3, undefined],
      [1, 4, 3, undefined],
      [2, 7, 1, "bad block"],
    ]);
    const lines: InputLine[] = [];
    const raw: InputLine[] = [];
    for (const chunk of chunks) {
      for await (const l of readLines("x.tar", { chunk })) lines.push(l);
      for await (const c of readRawChunks("x.tar", { chunk })) raw.push(...(c.bad ?? []));
    }
    expect(lines.slice(0, 7).map((l) => l.text)).toEqual(tweetLines(1, 7));
    const lost = {
      member: "big.json.bz2",
      lineNo: 8,
      error:
        "the member is damaged (bad block): its lines before line 8 were loaded, the rest of it was not",
    };
    expect(lines.slice(7)).toEqual([expect.objectContaining(lost)]);
    expect(raw).toEqual([expect.objectContaining(lost)]);
  });
});
