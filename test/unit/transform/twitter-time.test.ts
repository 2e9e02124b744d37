import { describe, expect, it } from "vitest";
import { twitterTimeToIso } from "../../../src/transform/twitter-time.js";

describe("twitterTimeToIso", () => {
  it.each([
    ["Fri Jan 01 12:34:56 +0000 2021", "2021-01-01T12:34:56+00:00"],
    ["Sun Dec 31 23:59:59 -0530 2023", "2023-12-31T23:59:59-05:30"],
    ["2021-01-01 00:00:00+00", "2021-01-01 00:00:00+00"],
    ["", null],
    [null, null],
    [undefined, null],
    [12, null],
  ])("%j → %j", (input, output) => {
    expect(twitterTimeToIso(input)).toBe(output);
  });
  it("agrees with Date on the instant", () => {
    const iso = twitterTimeToIso("Tue Feb 02 03:04:05 +0100 2021") as string;
    expect(new Date(iso).toISOString()).toBe("2021-02-02T02:04:05.000Z");
  });
});
