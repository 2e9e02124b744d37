import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readLines } from "../../../src/input/read-lines.js";
import { lineTweetId } from "../../../src/load/denormalized/line-id.js";
import { tweetLineError } from "../../../src/load/rows-of-lines.js";
import { projectPath } from "../../../src/paths.js";
import { tweetToRows } from "../../../src/transform/line-to-tweets.js";

describe("lineTweetId (the denormalized loader's distribution column on Citus)", () => {
  it.each([
    ['{"id":1,"id_str":"1","user":{"id":2}}', "1"],
    ['{"user":{"id":2,"id_str":"2"},"id_str":"9007199254740993"}', "9007199254740993"],
    ['{"id":9007199254740993,"user":{"id":2}}', "9007199254740993"],
    ['{"id":"42","user":{"id":2}}', "42"],
    ['{"id_str":"x","id":7,"user":{"id":2}}', "7"],
    ['{"quoted_status":{"id":5,"id_str":"5"},"id":6}', "6"],
    ['{"text":"a \\"id_str\\":\\"3\\" b","entities":[{"id":4}],"id":8}', "8"],
    [' { "id" : 11 , "id_str" : "11" } ', "11"],
    ['{"id":-3}', "-3"],
  ])("%s has id %s", (line, id) => {
    expect(lineTweetId(line)).toBe(id);
  });

  it.each([
    "[1,2]",
    '{"user":{"id":2}}',
    '{"id":1.5}',
    '{"id":null,"id_str":null}',
    '{"id":1',
    '{"text":"unterminated',
    "not json",
    "",
  ])("finds no id in %s", (line) => {
    expect(lineTweetId(line)).toBeNull();
  });

  it("reads the id every loader reads, on every line of a sample archive", async () => {
    const zip = readdirSync(projectPath("data")).find((name) => name.endsWith(".zip"));
    let checked = 0;
    for await (const { text: line } of readLines(projectPath("data", zip as string))) {
      if (tweetLineError(line) !== null) {
        continue;
      }
      expect(lineTweetId(line)).toBe(tweetToRows(line).tweet.id);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });
});
