import { describe, expect, it } from "vitest";
import { BadLineError } from "../../../src/errors.js";
import { classifyLine } from "../../../src/transform/classify-line.js";
import { checkNulKeys, stripNulEscapes } from "../../../src/transform/nul.js";

describe("stripNulEscapes (raw JSON text)", () => {
  it.each([
    ["a\\u0000b", "ab"],
    ["\\u0000\\u0000", ""],
    // an escaped backslash followed by the letters u0000 is ordinary text
    ["a\\\\u0000b", "a\\\\u0000b"],
    // escaped backslash, then a real NUL escape
    ["a\\\\\\u0000b", "a\\\\b"],
    ["a\\\\\\\\u0000b", "a\\\\\\\\u0000b"],
    ["\\u00001", "1"],
    ["no escapes", "no escapes"],
  ])("%s → %s", (input, output) => {
    expect(stripNulEscapes(input)).toBe(output);
  });

  it("agrees with JSON.parse and removing NUL characters from the parsed string", () => {
    for (const raw of [
      '"a\\u0000b"',
      '"a\\\\u0000b"',
      '"\\\\\\u0000"',
      '"x\\u0000\\\\u0000\\u0000"',
    ]) {
      expect(JSON.parse(stripNulEscapes(raw))).toBe(
        (JSON.parse(raw) as string).replaceAll("\0", ""),
      );
    }
  });
});

describe("the escape \\u0000 in keys and ids (docs/line-rules.md, NUL)", () => {
  it("refuses a key holding the escape, which removing it would make another key", () => {
    const line = '{"id":1,"user":{"id":2},"text":"a","te\\u0000xt":"b"}';
    expect(() => checkNulKeys(line)).toThrow(/the key "te\\u0000xt" holds the escape/);
    expect(() => classifyLine(line)).toThrow(BadLineError);
    expect(() => classifyLine('{"id\\u0000_str":"9","id":1,"user":{"id":2}}')).toThrow(
      /holds the escape \\u0000/,
    );
  });

  it("reads an id holding the escape as pg_denormalized stores it: without it", () => {
    const c = classifyLine('{"id":1,"id_str":"12\\u00003","user":{"id":2}}');
    expect(c.kind === "tweets" && c.tweets[0]?.tweet.id).toBe("123");
  });
});
