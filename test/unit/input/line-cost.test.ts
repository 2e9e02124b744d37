import { describe, expect, it } from "vitest";
import {
  LINE_COST_FACTOR,
  lineCost,
  lineCostError,
  lineCostLimit,
  mayCostTooMuch,
} from "../../../src/input/line-cost.js";

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("lineCost: the heap a line takes to read, from its bytes", () => {
  it("counts objects, arrays and separators outside strings only", () => {
    const plain = lineCost(bytes('{"text":"abcdef"}'));
    const inString = lineCost(bytes('{"text":"{[,:]}"}'));
    const outside = lineCost(bytes('{"text":[1,2]}'));
    // Inside a string, bytes of structure cost what any text does.
    expect(inString).toBe(plain);
    expect(outside).toBeGreaterThan(inString);
  });

  it("finds the end of a string past escaped quotes and backslashes", () => {
    const escapedQuote = lineCost(bytes('{"a":"x\\"{{{{"}'));
    const sameLength = lineCost(bytes('{"a":"xxxxxxx"}'));
    expect(escapedQuote).toBe(sameLength);
    // `"x\\"` ends at its third quote: the braces after it are structure.
    const afterBackslashes = lineCost(bytes('{"a":"x\\\\",{{{{}'));
    expect(afterBackslashes).toBeGreaterThan(lineCost(bytes('{"a":"x\\\\","bb"}')));
  });

  it("reads a part of a buffer as the line it is", () => {
    const line = '{"id":1,"x":[{},{}]}';
    const buffer = bytes(`junk[[[\n${line}\n]]]`);
    expect(lineCost(buffer, 8, 8 + line.length)).toBe(lineCost(bytes(line)));
  });
});

describe("lineCostError: a line within --max-line-bytes refused for what it holds", () => {
  const max = 100_000;

  it("passes text, however long within the limit, and scans no short line", () => {
    const text = `{"id":1,"text":"${"x".repeat(max - 20)}"}`;
    expect(text.length).toBeLessThanOrEqual(max);
    expect(lineCostError(bytes(text), 0, text.length, max)).toBeNull();
    expect(mayCostTooMuch(1000, max)).toBe(false);
    expect(lineCostLimit(max)).toBe(LINE_COST_FACTOR * max);
  });

  it("refuses a line of empty objects that would take many times its size, saying why", () => {
    const line = `{"id":1,"x":[${"{},".repeat(30_000)}{}]}`;
    expect(line.length).toBeLessThan(max);
    const error = lineCostError(bytes(line), 0, line.length, max);
    expect(error).toMatch(
      /^the line \(0\.1 MB\) holds so many JSON objects, arrays and values that reading it would take about \d+\.\d MB of memory, more than the 0\.8 MB a line may take with --max-line-bytes 100000; .*raise --max-line-bytes/,
    );
  });
});
