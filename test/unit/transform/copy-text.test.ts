import { describe, expect, it } from "vitest";
import {
  arrayLiteral,
  copyField,
  copyLine,
  escapeCopyText,
} from "../../../src/transform/copy-text.js";

describe("COPY text escaping", () => {
  it.each([
    ["plain", "plain"],
    ["tab\there", "tab\\there"],
    ["line\nbreak", "line\\nbreak"],
    ["cr\rhere", "cr\\rhere"],
    ["back\\slash", "back\\\\slash"],
    ["\\N", "\\\\N"],
    ["emoji 😷 ü", "emoji 😷 ü"],
  ])("%j → %j", (input, output) => {
    expect(escapeCopyText(input)).toBe(output);
  });

  it.each([
    [null, "\\N"],
    [true, "t"],
    [false, "f"],
    [42, "42"],
    ["", ""],
    [["DE", "FR"], '{"DE","FR"}'],
    [[], "{}"],
    [['a"b', "c\\d"], '{"a\\\\"b","c\\\\\\\\d"}'],
  ] as const)("field %j → %j", (input, output) => {
    expect(copyField(input)).toBe(output);
  });

  it("builds tab-separated, newline-terminated lines", () => {
    expect(copyLine(["1", null, "a\tb"])).toBe("1\t\\N\ta\\tb\n");
  });

  it("quotes array elements", () => {
    expect(arrayLiteral(["x y", "{}"])).toBe('{"x y","{}"}');
  });

  it("writes a null element as NULL, and the string 'NULL' quoted", () => {
    expect(arrayLiteral([null, "NULL"])).toBe('{NULL,"NULL"}');
  });
});
