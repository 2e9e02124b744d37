import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { readRawChunks } from "../../../src/input/raw-chunks.js";
import { readLines } from "../../../src/input/read-lines.js";
import { CopyLineMap } from "../../../src/load/denormalized/copy-line-map.js";
import { copyErrorLine } from "../../../src/load/server-refusals.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-raw-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function raw(file: string) {
  const lines: Array<[string | null, number, string]> = [];
  const map = new CopyLineMap();
  for await (const chunk of readRawChunks(file)) {
    map.add(chunk);
    const text = chunk.data.toString("utf8");
    expect(text.endsWith("\n")).toBe(true);
    text
      .slice(0, -1)
      .split("\n")
      .forEach((line, i) => {
        lines.push([chunk.member, chunk.lineNos[i] as number, line]);
      });
  }
  return { lines, map };
}

async function cooked(file: string) {
  const out: Array<[string | null, number, string]> = [];
  for await (const l of readLines(file)) out.push([l.member, l.lineNo, l.text]);
  return out;
}

describe("readRawChunks", () => {
  it.each([
    ["clean lines", '{"a":1}\n{"b":2}\n'],
    [
      "blank, whitespace-only and CRLF lines, no final newline",
      '\n{"a":1}\r\n\r\n  \t\n{"b":"x y"}\n \n{"c":3}',
    ],
    [
      "long lines across read chunks",
      `${`{"t":"${"😷é".repeat(30_000)}"}\n`.repeat(4)}\n{"z":0}\n`,
    ],
  ])("yields the same lines as readLines for %s", async (_, text) => {
    const file = join(dir, "t.jsonl");
    await writeFile(file, text);
    const got = await raw(file);
    expect(got.lines).toEqual(await cooked(file));
    const gz = join(dir, "t.jsonl.gz");
    await writeFile(gz, gzipSync(text));
    expect((await raw(gz)).lines).toEqual(await cooked(gz));
  });

  it("reads zip members in name order and maps COPY lines back to member and line", async () => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.from('{"b":1}\n\n{"b":3}\n'), "b.jsonl");
    zip.addBuffer(Buffer.from('{"a":1}\n{"a":2}\n'), "a.jsonl");
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const file = join(dir, "m.zip");
    await writeFile(file, Buffer.concat(chunks));
    const { lines, map } = await raw(file);
    expect(lines.map(([m, n]) => `${m}:${n}`)).toEqual([
      "a.jsonl:1",
      "a.jsonl:2",
      "b.jsonl:1",
      "b.jsonl:3",
    ]);
    expect(map.count).toBe(4);
    expect(map.locate(4)).toEqual({ member: "b.jsonl", lineNo: 3 });
    expect(map.locate(2)).toEqual({ member: "a.jsonl", lineNo: 2 });
    expect(map.locate(5)).toBeNull();
  });

  it("names a corrupt archive", async () => {
    const file = join(dir, "bad.zip");
    await writeFile(file, "PK but not really");
    await expect(raw(file)).rejects.toThrow(/bad\.zip/);
  });
});

describe("copyErrorLine", () => {
  it("reads the line from PostgreSQL's COPY context", () => {
    expect(copyErrorLine({ where: 'COPY tweets_jsonb, line 4, column data: "{..."' })).toBe(4);
    expect(copyErrorLine({ where: "JSON data, line 1: ...\nCOPY tweets_jsonb, line 12" })).toBe(12);
    expect(copyErrorLine(new Error("x"))).toBeNull();
  });
});
