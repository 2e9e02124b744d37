import { describe, expect, it } from "vitest";
import { BadLineError } from "../../../src/errors.js";
import { classifyLine } from "../../../src/transform/classify-line.js";
import { fitsBigint } from "../../../src/transform/exact-json.js";
import { jsonDepth, MAX_JSON_DEPTH, mayNestDeeper } from "../../../src/transform/json-depth.js";
import { NOTICE_KINDS } from "../../../src/transform/notices.js";

const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
const tweet = (extra: string) => `{"id":1,"user":{"id":2}${extra}}`;

describe("classifyLine: stream notices", () => {
  it.each(NOTICE_KINDS)("an object whose only key is %s is a notice of that kind", (kind) => {
    expect(classifyLine(`{"${kind}":{"status":{"id":1,"user_id":2}}}`)).toEqual({
      kind: "notice",
      notice: kind,
    });
  });

  it.each([
    ['{"delete":{},"id":1,"user":{"id":2}}', "tweets"], // a second key: a tweet, not a notice
    ['{"deleted":{}}', "bad"], // not a notice kind, no id: bad input
    ['{"delete":{},"extra":1}', "bad"],
    ["{}", "bad"],
  ])("%s is %s", (line, expected) => {
    let got: string;
    try {
      got = classifyLine(line).kind;
    } catch (error) {
      expect(error).toBeInstanceOf(BadLineError);
      got = "bad";
    }
    expect(got).toBe(expected);
  });
});

describe("classifyLine: edge lines", () => {
  it.each([
    [
      "an id of 21 digits",
      '{"id":123456789012345678901,"user":{"id":2}}',
      /outside PostgreSQL's BIGINT/,
    ],
    ["an id_str of 21 digits", '{"id_str":"123456789012345678901","user":{"id":2}}', /BIGINT/],
    ["BIGINT max + 1", '{"id":9223372036854775808,"user":{"id":2}}', /BIGINT/],
    ["a user id outside BIGINT", '{"id":1,"user":{"id":99999999999999999999}}', /BIGINT/],
    [
      "a mention id outside BIGINT",
      tweet(',"entities":{"user_mentions":[{"id":99999999999999999999}]}'),
      /BIGINT/,
    ],
    ["a reply id outside BIGINT", tweet(',"in_reply_to_status_id":99999999999999999999'), /BIGINT/],
    [
      "a line nested 100,000 deep",
      `{"id":1,"user":{"id":2},"x":${deep(100_000)}}`,
      /nested 100001 levels deep/,
    ],
    [
      "a line just past the limit",
      `{"id":1,"user":{"id":2},"x":${deep(MAX_JSON_DEPTH)}}`,
      /deeper than the 1000/,
    ],
  ])("rejects %s", (_name, line, reason) => {
    expect(() => classifyLine(line)).toThrow(reason);
    expect(() => classifyLine(line)).toThrow(BadLineError);
  });

  it("takes a tweet with id_str but no id as a tweet with that id", () => {
    const c = classifyLine('{"id_str":"1234567890123456789","user":{"id_str":"7"}}');
    expect(c.kind === "tweets" && c.tweets[0]?.tweet.id).toBe("1234567890123456789");
  });

  it("takes BIGINT's extremes and a line nested to the limit", () => {
    expect(classifyLine('{"id":9223372036854775807,"user":{"id":-9223372036854775808}}').kind).toBe(
      "tweets",
    );
    expect(classifyLine(`{"id":1,"user":{"id":2},"x":${deep(MAX_JSON_DEPTH - 2)}}`).kind).toBe(
      "tweets",
    );
  });

  it("leaves out a hashtag entity without text (no NULL tag), and rejects one whose text is not a string", () => {
    const c = classifyLine(
      tweet(',"text":"#ok and more","entities":{"hashtags":[{"indices":[0,3]},{"text":"ok"}]}'),
    );
    expect(c.kind === "tweets" && c.tweets[0]?.tags).toEqual(["#ok"]);
    expect(() =>
      classifyLine(
        tweet(',"text":"#ok and more","entities":{"hashtags":[{"text":"ok"},{"text":5}]}'),
      ),
    ).toThrow("entities.hashtags[1].text 5 is not a string");
  });
});

describe("json depth", () => {
  it.each([
    ["[]", 1],
    ['{"a":[{"b":"[[[[{{{"}]}', 3],
    ['["\\"[["]', 1],
    ["1", 0],
  ])("%s nests %i deep", (text, depth) => {
    expect(jsonDepth(text)).toBe(depth);
  });

  it("counts opening brackets only as an upper bound", () => {
    expect(mayNestDeeper("[".repeat(11), 10)).toBe(true);
    expect(mayNestDeeper("[]".repeat(5), 10)).toBe(false);
    expect(mayNestDeeper(Buffer.from("{".repeat(11)), 10)).toBe(true);
  });
});

describe("fitsBigint", () => {
  it.each([
    ["9223372036854775807", true],
    ["9223372036854775808", false],
    ["-9223372036854775808", true],
    ["-9223372036854775809", false],
    ["00000000009223372036854775807", true],
    ["123456789012345678901", false],
    ["0", true],
  ])("%s → %s", (digits, fits) => {
    expect(fitsBigint(digits)).toBe(fits);
  });
});
