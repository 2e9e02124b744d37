import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import yazl from "yazl";
import { extractJsonLines, isTweetLine } from "../../../src/bench/data/extract.js";
import { balancedGroups, copyCommand, psqlArgs } from "../../../src/bench/timing/floor-copy.js";
import { readOnly } from "../../../src/bench/timing/read-only.js";
import { listArchives } from "../../../src/input/list-archives.js";

describe("tweet lines", () => {
  it("accepts tweet objects and refuses anything else", () => {
    expect(isTweetLine('{"id":12345678901234567890,"text":"x"}')).toBe(true);
    expect(isTweetLine('{"id_str":"1"}')).toBe(true);
    expect(isTweetLine('{"text":"no id"}')).toBe(false);
    expect(isTweetLine("[1,2]")).toBe(false);
    expect(isTweetLine("{not json")).toBe(false);
    expect(isTweetLine("null")).toBe(false);
  });
});

describe("extraction", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tweetload-bench-"));
    const zip = new yazl.ZipFile();
    // Members out of name order: extraction reads them sorted, as the loaders do.
    zip.addBuffer(Buffer.from('{"id":3}\r\n\r\n{"id":4,"t":"\\u0000"}\n'), "b.jsonl");
    zip.addBuffer(Buffer.from('{"id":1}\nbad line\n{"id":2}'), "a.jsonl");
    zip.end();
    const out = createWriteStream(join(dir, "x1.zip"));
    zip.outputStream.pipe(out);
    await finished(out);
    await writeFile(join(dir, "x2.jsonl.gz"), gzipSync('{"id":5}\n'));
    await writeFile(join(dir, "x3.jsonl"), '{"id":6}\n{"id":7}\n');
    await writeFile(join(dir, "notes.txt"), "not an archive");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("lists archives by name and skips other files", async () => {
    expect((await listArchives([dir])).files.map((p) => p.slice(dir.length + 1))).toEqual([
      "x1.zip",
      "x2.jsonl.gz",
      "x3.jsonl",
    ]);
  });

  it("writes one file of JSON lines per archive, members in name order, bad and blank lines dropped", async () => {
    const { files: archives } = await listArchives([dir]);
    const ex = await extractJsonLines(archives, join(dir, "scratch"));
    expect(ex.tweets).toBe(7);
    expect(ex.dropped).toBe(1);
    expect(ex.files.map((f) => f.tweets)).toEqual([4, 1, 2]);
    expect(await readFile(ex.files[0]?.path as string, "utf8")).toBe(
      '{"id":1}\n{"id":2}\n{"id":3}\n{"id":4,"t":""}\n',
    );
    const again = await extractJsonLines(archives, join(dir, "scratch"));
    expect(again).toEqual(ex);
  });

  it("reads and decompresses everything", async () => {
    const bytes = await readOnly((await listArchives([dir])).files);
    expect(bytes).toBe(
      Buffer.byteLength('{"id":3}\r\n\r\n{"id":4,"t":"\\u0000"}\n{"id":1}\nbad line\n{"id":2}') +
        Buffer.byteLength('{"id":5}\n{"id":6}\n{"id":7}\n'),
    );
  });
});

describe("psql copy", () => {
  it("builds a \\copy with control-byte quote and delimiter and a quoted file name", () => {
    expect(copyCommand("/tmp/it's.jsonl")).toBe(
      "\\copy tweets_jsonb (data) FROM '/tmp/it''s.jsonl' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')",
    );
    expect(psqlArgs("postgres://h/db", ["a", "b"])).toEqual([
      "-X",
      "-q",
      "-v",
      "ON_ERROR_STOP=1",
      "-d",
      "postgres://h/db",
      "-c",
      copyCommand("a"),
      "-c",
      copyCommand("b"),
    ]);
  });

  it("balances files by size over the streams, keeping each group in order", () => {
    const files = [
      { n: "a", s: 10 },
      { n: "b", s: 10 },
      { n: "c", s: 10 },
      { n: "d", s: 30 },
    ];
    const groups = balancedGroups(files, 2, (f) => f.s).map((g) => g.map((f) => f.n));
    expect(groups).toEqual([["d"], ["a", "b", "c"]]);
    expect(balancedGroups(files, 8, (f) => f.s)).toHaveLength(4);
    expect(balancedGroups([], 2, () => 1)).toEqual([[]]);
  });
});
