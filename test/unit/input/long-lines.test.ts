import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEPT_BYTES, PendingLine } from "../../../src/input/pending-line.js";
import { readRawChunks } from "../../../src/input/raw-chunks.js";
import { readLines } from "../../../src/input/read-lines.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-long-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** [lineNo, text or "reject:<error>"] of every line, as readLines and readRawChunks give them. */
async function both(file: string, maxLineBytes: number) {
  const cooked: Array<[number, string]> = [];
  for await (const l of readLines(file, { maxLineBytes })) {
    cooked.push([l.lineNo, l.error === undefined ? l.text : `reject:${l.text.length}:${l.error}`]);
  }
  const raw: Array<[number, string]> = [];
  for await (const chunk of readRawChunks(file, { maxLineBytes })) {
    for (const l of chunk.bad ?? []) raw.push([l.lineNo, `reject:${l.text.length}:${l.error}`]);
    if (chunk.lineNos.length === 0) continue;
    const texts = chunk.data.toString().slice(0, -1).split("\n");
    for (const [i, t] of texts.entries()) raw.push([chunk.lineNos[i] as number, t]);
  }
  raw.sort((a, b) => a[0] - b[0]);
  return { cooked, raw };
}

describe("a line longer than --max-line-bytes", () => {
  it.each([
    ["inside one read chunk", 2_000],
    ["across many read chunks", 600_000],
  ])("is that line's reject keeping its first bytes, %s, in both readers", async (_, length) => {
    const file = join(dir, `long-${length}.jsonl`);
    const long = `{"t":"${"x".repeat(length)}"}`;
    await writeFile(file, `{"a":1}\n${long}\n{"b":2}\n${long}`);
    const { cooked, raw } = await both(file, 1_000);
    const reject = `reject:${KEPT_BYTES}:the line is ${long.length} bytes long, more than --max-line-bytes 1000; its first ${KEPT_BYTES} bytes are kept here (raise --max-line-bytes if it is a real tweet)`;
    const expected = [
      [1, '{"a":1}'],
      [2, reject],
      [3, '{"b":2}'],
      [4, reject],
    ];
    expect(cooked).toEqual(expected);
    expect(raw).toEqual(expected);
  });

  it("is read whole up to the limit", async () => {
    const file = join(dir, "at-limit.jsonl");
    const line = `{"t":"${"y".repeat(300_000 - 8)}"}`;
    await writeFile(file, `${line}\n`);
    const { cooked, raw } = await both(file, line.length);
    expect(cooked).toEqual([[1, line]]);
    expect(raw).toEqual([[1, line]]);
  });
});

describe("PendingLine", () => {
  it("joins the pieces of a line once, and past the limit keeps only its head", () => {
    const pending = new PendingLine(10);
    pending.add(Buffer.from("abc"));
    pending.add(Buffer.from("def"));
    expect(pending.finish(Buffer.from("gh"))).toEqual(Buffer.from("abcdefgh"));
    const piece = Buffer.alloc(4096, "z");
    for (let i = 0; i < 100; i++) pending.add(piece);
    const long = pending.finish(Buffer.from("end"));
    expect(long).toEqual({ head: Buffer.alloc(KEPT_BYTES, "z"), bytes: 409_603 });
    expect(pending.bytes).toBe(0);
  });
});
