import { describe, expect, it } from "vitest";
import { checkNumbers } from "../../../src/transform/json-numbers.js";

describe("numbers PostgreSQL's jsonb can hold (docs/line-rules.md)", () => {
  it.each([
    ['{"x":1e-20000}', "1e-20000"],
    ['{"x":[2.5E+10000]}', "2.5E+10000"],
    [`{"x":${"9".repeat(6001)}}`, "9999999999999999999999999999999999999999… (6001 characters)"],
  ])("refuses %s", (line, shown) => {
    expect(() => checkNumbers(line)).toThrow(`the number ${shown} has more than`);
  });

  it.each([
    '{"x":1e-9999,"y":1e9999,"z":1e00004}',
    '{"url":"https://x.example/1e23456","t":"9e-99999 in a string"}',
    `{"x":0.${"1".repeat(5998)}}`,
  ])("takes %s", (line) => {
    expect(() => checkNumbers(line)).not.toThrow();
  });
});
