import { describe, expect, it } from "vitest";
import { InexactIdError } from "../../../src/errors.js";
import { idOf, parseJsonLine, quoteBigIntegers } from "../../../src/transform/exact-json.js";

describe("quoteBigIntegers", () => {
  it.each([
    ['{"id":1344795502917291104}', '{"id":"1344795502917291104"}'],
    ['{"id":-9223372036854775808}', '{"id":"-9223372036854775808"}'],
    ["[9007199254740993,1]", '["9007199254740993",1]'],
    // digits inside strings, fractions and exponents are not integers of their own
    ['{"t":"1344795502917291104"}', '{"t":"1344795502917291104"}'],
    ['{"t":"say \\"12345678901234567\\" ok"}', '{"t":"say \\"12345678901234567\\" ok"}'],
    ['{"x":0.12345678901234567}', '{"x":0.12345678901234567}'],
    ['{"x":1.5e12345678901234567}', '{"x":1.5e12345678901234567}'],
    ['{"x":123456789012345}', '{"x":123456789012345}'],
  ])("%s → %s", (input, output) => {
    expect(quoteBigIntegers(input)).toBe(output);
  });
});

describe("idOf", () => {
  it("prefers the _str twin, digit for digit", () => {
    const value = parseJsonLine(
      '{"id":9223372036854775807,"id_str":"9223372036854775807"}',
    ) as Record<string, unknown>;
    expect(idOf(value, "id")).toBe("9223372036854775807");
  });
  it("keeps safe integers without a twin", () => {
    expect(idOf({ id: 9007199254740991 }, "id")).toBe("9007199254740991");
  });
  it("refuses an id above 2^53 without a twin (JSON.parse has rounded it)", () => {
    const value = parseJsonLine('{"id":9007199254740993}') as Record<string, unknown>;
    expect(() => idOf(value, "id")).toThrow(InexactIdError);
  });
  it("reads the exact parse's strings", () => {
    const value = parseJsonLine('{"id":9007199254740993}', true) as Record<string, unknown>;
    expect(idOf(value, "id")).toBe("9007199254740993");
  });
  it("is null when missing or null", () => {
    expect(idOf({}, "id")).toBeNull();
    expect(idOf({ id: null, id_str: null }, "id")).toBeNull();
  });
});
