import { describe, expect, it } from "vitest";
import type { RawChunk } from "../../../src/input/raw-chunks.js";
import { pageRows } from "../../../src/load/denormalized/page-lines.js";
import { NeedsValidationError, screenChunk } from "../../../src/load/denormalized/screen-chunk.js";
import type { NoticeCounts } from "../../../src/transform/notices.js";

const chunkOf = (lines: string[], first = 1): RawChunk => ({
  file: "f.zip",
  member: "m.jsonl",
  data: Buffer.from(`${lines.join("\n")}\n`),
  lineNos: lines.map((_, i) => first + i),
});
const TWEET = '{"created_at":"x","id":1,"user":{"id":2},"entities":{"hashtags":[]}}';

describe("screenChunk (the denormalized raw path)", () => {
  it("takes the notices out, counts them, and keeps every other line with its number", () => {
    const notices: NoticeCounts = {};
    const lines = [
      '{"delete":{"status":{"id":1}}}',
      TWEET,
      '{"limit":{"track":5}}',
      TWEET.replace('"id":1', '"id":3'),
      '{"delete":{"status":{"id":2}}}',
    ];
    const out = screenChunk(chunkOf(lines, 10), notices);
    expect(notices).toEqual({ delete: 2, limit: 1 });
    expect(out.data.toString()).toBe(`${lines[1]}\n${lines[3]}\n`);
    expect(out.lineNos).toEqual([11, 13]);
  });

  it.each([
    ['{ "delete":{}}', "spaced: the CHECK refuses it, the validated pass counts it"],
    ['{"delete":{},"id":1,"user":{"id":2}}', "a second key: a tweet"],
    ['{"delete":', "not JSON: COPY refuses it"],
    ['{"deleted":{}}', "not a notice kind"],
  ])("leaves %s to COPY (%s)", (line) => {
    const notices: NoticeCounts = {};
    const chunk = chunkOf([TWEET, line]);
    expect(screenChunk(chunk, notices)).toBe(chunk);
    expect(notices).toEqual({});
  });

  it("sends a chunk with a line of more than 1,000 opening brackets to the validated pass", () => {
    const deep = `{"id":1,"user":{"id":2},"x":${"[".repeat(1000)}${"]".repeat(1000)}}`;
    expect(() => screenChunk(chunkOf([TWEET, deep]), {})).toThrow(NeedsValidationError);
    const wide = `{"id":1,"user":{"id":2},"x":[${"[],".repeat(998)}[]]}`; // 1001 brackets, 2 deep
    expect(() => screenChunk(chunkOf([wide]), {})).toThrow(NeedsValidationError);
    const fine = `{"id":1,"user":{"id":2},"x":[${"[],".repeat(900)}[]]}`;
    expect(() => screenChunk(chunkOf([TWEET, fine, TWEET]), {})).not.toThrow();
  });
});

describe("v2 pages on the denormalized raw path", () => {
  const tweet = (i: number) =>
    `{"id":"${1000 + i}","author_id":"7","text":"t","entities":{"hashtags":[{"tag":"a"}],"mentions":[{"id":"8","username":"b"}]}}`;
  const wide = `{"data":[${Array.from({ length: 200 }, (_, i) => tweet(i)).join(",")}],"includes":{"users":[{"id":"7","username":"u"}]}}`;

  it("regression: a page of 200 tweets (over 1,000 brackets) no longer sends its file to the validated pass", () => {
    expect(wide.replace(/[^{[]/g, "").length).toBeGreaterThan(1000);
    expect(() => screenChunk(chunkOf([TWEET, wide]), {})).not.toThrow();
    const rows = pageRows({ file: "f", member: null, lineNo: 2, text: wide });
    expect(rows?.tweets).toHaveLength(200);
    expect(JSON.parse(rows?.tweets[0] as string).author).toEqual({ id: "7", username: "u" });
  });

  it("sends a page nested past the limit to the validated pass, which rejects it", () => {
    const deep = `{"data":[{"id":"1","author_id":"7","x":${"[".repeat(1000)}${"]".repeat(1000)}}]}`;
    expect(() => pageRows({ file: "f", member: null, lineNo: 1, text: deep })).toThrow(
      NeedsValidationError,
    );
    const atLimit = `{"data":[{"id":"1","author_id":"7","x":${"[".repeat(997)}${"]".repeat(997)}}]}`;
    expect(pageRows({ file: "f", member: null, lineNo: 1, text: atLimit })?.tweets).toHaveLength(1);
  });
});
