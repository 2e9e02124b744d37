import { describe, expect, it } from "vitest";
import { stripNul, stripNulEscapes } from "../../../src/transform/nul.js";

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

  it("agrees with JSON.parse + stripNul", () => {
    for (const raw of [
      '"a\\u0000b"',
      '"a\\\\u0000b"',
      '"\\\\\\u0000"',
      '"x\\u0000\\\\u0000\\u0000"',
    ]) {
      expect(JSON.parse(stripNulEscapes(raw))).toBe(stripNul(JSON.parse(raw)));
    }
  });
});

describe("stripNul (parsed strings)", () => {
  it("removes NUL characters only", () => {
    expect(stripNul("a\0b\0")).toBe("ab");
    expect(stripNul("a\\u0000b")).toBe("a\\u0000b");
  });
});
