import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonArrayElements } from "../../../src/input/json-array.js";
import { readRawChunks } from "../../../src/input/raw-chunks.js";
import { readLines } from "../../../src/input/read-lines.js";
import type { InputLine } from "../../../src/input/types.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-array-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The elements of `text` cut into chunks of `size` bytes, as [lineNo, text or error]. */
async function elements(text: string | Buffer, size: number, max = 1 << 20) {
  const bytes = Buffer.from(text);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: Array<[number, string]> = [];
  for await (const batch of jsonArrayElements(chunks(), max)) {
    for (const e of batch) {
      const value = Buffer.isBuffer(e.value) ? e.value.toString() : `long:${e.value.bytes}`;
      out.push([e.lineNo, e.error === undefined ? value : `error:${value}`]);
    }
  }
  return out;
}

const ID = "1346930000000000001"; // above 2^53: a JS number would round it

const PRETTY = `[
  {
    "id": ${ID},
    "text": "a ] and a , and \\"quoted\\" [ {",
    "user": { "id": 7, "tags": [ 1, [2, 3] ] }
  },
  { "id": 2, "s": "back\\\\" },
  3,
  "x y",
  [ 4 , 5 ]
]
`;

describe("jsonArrayElements", () => {
  it.each([1, 2, 7, 4096])(
    "gives each element's compact text and starting line, chunks of %i bytes",
    async (size) => {
      expect(await elements(PRETTY, size)).toEqual([
        [
          2,
          `{"id":${ID},"text":"a ] and a , and \\"quoted\\" [ {","user":{"id":7,"tags":[1,[2,3]]}}`,
        ],
        [7, '{"id":2,"s":"back\\\\"}'],
        [8, "3"],
        [9, '"x y"'],
        [10, "[4,5]"],
      ]);
    },
  );

  it("takes CRLF line ends as white space", async () => {
    expect(await elements('[\r\n  {"a": 1},\r\n  {"b": "\\r"}\r\n]\r\n', 4)).toEqual([
      [2, '{"a":1}'],
      [3, '{"b":"\\r"}'],
    ]);
  });

  it("gives text outside the array, to the end of its line, as an element of its own", async () => {
    expect(await elements('[{"a":1}] trailing words\n[{"b":2}]', 3)).toEqual([
      [1, '{"a":1}'],
      [1, "trailing words"],
      [2, '{"b":2}'],
    ]);
  });

  it("keeps only the size of an element over the limit, and goes on after it", async () => {
    const big = `{"t":"${"x".repeat(5000)}"}`;
    expect(await elements(`[${big},{"a":1}]`, 100, 1000)).toEqual([
      [1, `long:${big.length}`],
      [1, '{"a":1}'],
    ]);
  });

  it("flags an element whose string holds a raw line break", async () => {
    expect(await elements('[{"a":"x\ny"},{"b":1}]', 5)).toEqual([
      [1, 'error:{"a":"x\ny"}'],
      [2, '{"b":1}'],
    ]);
  });
});

describe("a .json file holding one array", () => {
  const lines = async (file: string, options = {}) => {
    const out: InputLine[] = [];
    for await (const l of readLines(file, options)) out.push(l);
    return out;
  };

  it("reads as its elements in readLines and readRawChunks alike, plain or gzip, after a BOM", async () => {
    const plain = join(dir, "tweets.json");
    await writeFile(plain, `\ufeff  \n${PRETTY}`);
    const gz = join(dir, "tweets.json.gz");
    await writeFile(gz, gzipSync(`\ufeff  \n${PRETTY}`));
    for (const file of [plain, gz]) {
      const got = await lines(file);
      expect(got.map((l) => l.lineNo)).toEqual([3, 8, 9, 10, 11]);
      expect(got[0]?.text).toContain(`"id":${ID},`);
      const raw: Array<[number, string]> = [];
      for await (const chunk of readRawChunks(file)) {
        const texts = chunk.data.toString().slice(0, -1).split("\n");
        for (const [i, t] of texts.entries()) raw.push([chunk.lineNos[i] as number, t]);
      }
      expect(raw).toEqual(got.map((l) => [l.lineNo, l.text]));
    }
  });

  it("reads JSON lines as lines when the first byte is not [", async () => {
    const file = join(dir, "lines.json");
    await writeFile(file, '{"a":1}\n{"b":2}\n');
    expect((await lines(file)).map((l) => l.text)).toEqual(['{"a":1}', '{"b":2}']);
  });

  it("makes an element that is not UTF-8 that element's reject, and byte strings of the rest", async () => {
    const file = join(dir, "latin1.json");
    const bad = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]);
    await writeFile(
      file,
      Buffer.concat([Buffer.from('[{"a":"é"},\n'), bad, Buffer.from(',{"c":"\\u00e9"}]')]),
    );
    const got = await lines(file, { byteStrings: true });
    expect(
      got.map((l) => [l.lineNo, l.byteString ?? false, l.error?.slice(0, 12) ?? null]),
    ).toEqual([
      [1, true, null],
      [2, false, "not UTF-8 te"],
      [2, false, null],
    ]);
  });
});
