import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RejectFileError, TooManyRejectsError } from "../../../src/errors.js";
import { chunkLinesFor, chunkLinesOf, DEFAULT_CHUNK_LINES } from "../../../src/run/chunk-plan.js";
import { ChunkRejects } from "../../../src/run/chunk-rejects.js";
import { parseRejectLimit } from "../../../src/run/reject-limit.js";
import { rejectsPath } from "../../../src/run/reject-sink.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-chunk-rejects-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const line = (lineNo: number) => ({
  file: "day.jsonl",
  member: "a.jsonl",
  lineNo,
  text: "not json",
  error: "not valid JSON",
});

describe("ChunkRejects", () => {
  it("appends only the records of chunks that sync (before their commit), each once", async () => {
    const task = { db: "normalized" as const, rejectsDir: join(dir, "append") };
    const shared = new Int32Array(new SharedArrayBuffer(4));
    const limit = parseRejectLimit(100);
    const first = new ChunkRejects(task, "/in/day.jsonl", limit, shared);
    const second = new ChunkRejects(task, "/in/day.jsonl", limit, shared);
    const lost = new ChunkRejects(task, "/in/day.jsonl", limit, shared);
    first.write(line(1));
    second.write(line(7));
    lost.write(line(9));
    second.sync();
    first.sync();
    lost.abandon(); // its chunk rolled back: a re-run writes its rejects then
    const text = await readFile(
      rejectsPath(task.rejectsDir, "/in/day.jsonl", "normalized"),
      "utf8",
    );
    expect(
      text
        .trim()
        .split("\n")
        .map((r) => JSON.parse(r).lineNo),
    ).toEqual([7, 1]);
    expect(Atomics.load(shared, 0)).toBe(2);
  });

  it("counts a file's rejects over all its chunks for a count limit, and forgets an abandoned try", () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(shared, 0, 2); // committed by an earlier run
    const limit = parseRejectLimit(3);
    const a = new ChunkRejects({ db: "denormalized" }, "/in/x.jsonl", limit, shared);
    const b = new ChunkRejects({ db: "denormalized" }, "/in/x.jsonl", limit, shared);
    a.write(line(1));
    a.abandon();
    b.write(line(2));
    expect(() => b.write(line(3))).toThrow(TooManyRejectsError);
    expect(() => b.write(line(4))).toThrow(/5 lines are not tweets, more than --max-rejects 3/);
  });

  it("never stops a chunk for a share: that is judged on the file's sums, once every chunk is in", () => {
    const shared = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(shared, 0, 1000); // the file's other chunks: many rejects
    const sink = new ChunkRejects(
      { db: "denormalized" },
      "/in/x.jsonl",
      parseRejectLimit("1%"),
      shared,
    );
    for (let i = 0; i < 100; i++) sink.write(line(i));
    expect(sink.count).toBe(100);
    expect(Atomics.load(shared, 0)).toBe(1100);
  });

  it("fails at the first reject when the directory cannot be made", () => {
    const sink = new ChunkRejects(
      { db: "denormalized", rejectsDir: "/proc/tweetload-chunk/x" },
      "/in/x.jsonl",
      parseRejectLimit(100),
      new Int32Array(new SharedArrayBuffer(4)),
    );
    expect(() => sink.write(line(1))).toThrow(RejectFileError);
    expect(existsSync("/proc/tweetload-chunk")).toBe(false);
  });
});

describe("chunkLinesFor", () => {
  it("cuts files only when there are fewer than workers, never on one thread or with 0", () => {
    expect(chunkLinesFor(2, 1)).toBe(DEFAULT_CHUNK_LINES);
    expect(chunkLinesFor(4, 3, 500)).toBe(500);
    expect(chunkLinesFor(2, 2)).toBeUndefined();
    expect(chunkLinesFor(2, 10)).toBeUndefined();
    expect(chunkLinesFor(1, 1)).toBeUndefined();
    expect(chunkLinesFor(4, 1, 0)).toBeUndefined();
  });
});

describe("chunkLinesOf", () => {
  it("loads a tar by member at any --jobs and whatever the number of files, unless --chunk-lines is 0", () => {
    for (const tar of ["m.tar", "m.TAR.GZ", "m.tgz", "m.tar.bz2"]) {
      expect(chunkLinesOf(tar, 1, 1)).toBe(DEFAULT_CHUNK_LINES);
      expect(chunkLinesOf(tar, 2, 30, 500)).toBe(500);
      expect(chunkLinesOf(tar, 2, 1, 0)).toBeUndefined();
    }
    expect(chunkLinesOf("d.jsonl.bz2", 1, 1)).toBeUndefined();
    expect(chunkLinesOf("d.jsonl.bz2", 2, 1)).toBe(DEFAULT_CHUNK_LINES);
  });
});
