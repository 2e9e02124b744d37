import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RejectFileError, TooManyRejectsError } from "../../../src/errors.js";
import { RejectSink, rejectsPath } from "../../../src/run/reject-sink.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-sink-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const line = (lineNo: number) => ({
  file: "day.jsonl",
  member: null,
  lineNo,
  text: "not json",
  error: "not valid JSON",
});

describe("rejectsPath", () => {
  it("gives same-named files in two folders two names that start with the base name", () => {
    const a = rejectsPath("rejects", "/data/a/day.jsonl", "normalized");
    const b = rejectsPath("rejects", "/data/b/day.jsonl", "normalized");
    expect(a).not.toBe(b);
    expect(a).toMatch(/^rejects\/day\.jsonl\.[0-9a-f]{8}\.normalized\.rejects\.jsonl$/);
    expect(rejectsPath("rejects", "/data/a/day.jsonl", "normalized")).toBe(a);
  });
});

describe("RejectSink", () => {
  it("writes records naming the input's resolved path, made in nested new directories", async () => {
    const sink = new RejectSink(
      { db: "denormalized", rejectsDir: join(dir, "x", "y") },
      "/in/day.jsonl",
      { count: 5 },
    );
    sink.write(line(3));
    sink.write(line(7));
    sink.sync();
    sink.close();
    const records = (await readFile(sink.path as string, "utf8"))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(records).toEqual([
      {
        file: "day.jsonl",
        path: "/in/day.jsonl",
        member: null,
        lineNo: 3,
        text: "not json",
        error: "not valid JSON",
      },
      {
        file: "day.jsonl",
        path: "/in/day.jsonl",
        member: null,
        lineNo: 7,
        text: "not json",
        error: "not valid JSON",
      },
    ]);
  });

  it("throws TooManyRejectsError past the limit", () => {
    const sink = new RejectSink({ db: "denormalized", rejectsDir: join(dir, "limit") }, "/in/a", {
      count: 1,
    });
    sink.write(line(1));
    expect(() => sink.write(line(2))).toThrow(TooManyRejectsError);
    sink.close();
  });

  it.skipIf(process.platform !== "linux")(
    "throws RejectFileError at once for a directory that can never be made (/proc/x)",
    () => {
      const sink = new RejectSink({ db: "normalized", rejectsDir: "/proc/tweetload-x" }, "/in/a", {
        count: 9,
      });
      expect(() => sink.write(line(1))).toThrow(RejectFileError);
      expect(() => sink.write(line(2))).toThrow(
        /cannot write the reject file \/proc\/tweetload-x\/a\./,
      );
      sink.close();
      expect(sink.path).toBeUndefined();
    },
  );
});
