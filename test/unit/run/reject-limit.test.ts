import { describe, expect, it } from "vitest";
import { checkLoadArgs } from "../../../src/cli/commands/load.js";
import { checkFileResult, unfinished } from "../../../src/run/outcome.js";
import {
  describeLimit,
  exceedsLimit,
  overCount,
  parseRejectLimit,
} from "../../../src/run/reject-limit.js";

describe("--max-rejects", () => {
  it.each([
    ["100", { count: 100 }],
    ["0", { count: 0 }],
    ["1%", { share: 0.01 }],
    ["0.5%", { share: 0.005 }],
    [" 100% ", { share: 1 }],
  ])("parses %j", (text, limit) => {
    expect(parseRejectLimit(text)).toEqual(limit);
    expect(parseRejectLimit(describeLimit(limit))).toEqual(limit);
  });

  it.each(["-1", "1.5", "abc", "101%", "%", ""])(
    "refuses %j with a sentence naming the flag",
    (text) => {
      expect(() => parseRejectLimit(text)).toThrow(/^--max-rejects must be a count .* not "/);
      expect(() => checkLoadArgs({ jobs: 1, batchSize: 1, maxRejects: text })).toThrow(
        /--max-rejects/,
      );
    },
  );

  it("stops a file at the reject that passes a count; judges a share on final counts only, never below 11 rejects", () => {
    expect(overCount({ count: 5 }, 6)).toBe(true);
    expect(overCount({ count: 5 }, 5)).toBe(false);
    // A share never stops a file midway, whatever its rejects so far.
    expect(overCount({ share: 0.01 }, 5000)).toBe(false);
    const share = { share: 0.01 };
    expect(exceedsLimit(share, 11, 1089)).toBe(false); // exactly 1%
    expect(exceedsLimit(share, 12, 1089)).toBe(true);
    expect(exceedsLimit(share, 11, 2000)).toBe(false); // 2,011 lines, 11 bad: 0.55%
    expect(exceedsLimit(share, 10, 0)).toBe(false); // the floor: a tiny broken file
    expect(exceedsLimit({ count: 5 }, 6, 1_000_000)).toBe(true);
  });

  it("fails a file read through that has no tweet, or too many rejects", () => {
    expect(() =>
      checkFileResult({ tweets: 0, rejects: 2, notices: { delete: 3 } }, { count: 9 }),
    ).toThrow(/no line of it is a tweet \(2 rejected, 3 stream notices\)/);
    expect(() => checkFileResult({ tweets: 1000, rejects: 20 }, { share: 0.01 })).toThrow(
      /20 lines are not tweets, more than --max-rejects 1% allows/,
    );
    expect(() => checkFileResult({ tweets: 1, rejects: 0 }, { count: 0 })).not.toThrow();
  });

  it("calls an unfinished file partial only when some of it is committed", () => {
    expect(unfinished(0, "boom")).toMatchObject({ status: "failed", tweets: 0 });
    expect(unfinished(7, "boom")).toMatchObject({
      status: "partial",
      tweets: 7,
      error: expect.stringMatching(
        /boom; 7 of its tweets are committed: run the same command again/,
      ),
    });
  });
});
