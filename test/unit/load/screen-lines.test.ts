import { describe, expect, it } from "vitest";
import type { InputLine } from "../../../src/input/types.js";
import { copyData, screenLines } from "../../../src/load/denormalized/screen-lines.js";
import type { Rejected } from "../../../src/load/loader.js";
import { ServerRefusals } from "../../../src/load/server-refusals.js";
import type { NoticeCounts } from "../../../src/transform/notices.js";

const TWEET =
  '{"created_at":"Fri Jan 01 12:00:00 +0000 2021","id":1,"user":{"id":2},"text":"ok #a","entities":{"hashtags":[{"text":"a"}]}}';
/** Lines as readLineBatches gives them with byteStrings: UTF-8 bytes one per character. */
const linesOf = (texts: string[], first = 1): InputLine[] =>
  texts.map((text, i) => {
    const where = { file: "f.zip", member: "m.jsonl", lineNo: first + i };
    if (text.includes("\\u")) return { ...where, text };
    return { ...where, text: Buffer.from(text, "utf8").toString("latin1"), byteString: true };
  });

describe("screenLines (the denormalized loader's client-side judgement)", () => {
  it("keeps tweet lines as their bytes, counts notices, rejects bad lines with their reason", () => {
    const notices: NoticeCounts = {};
    const rejects: Rejected[] = [];
    const lines = [
      '{"delete":{"status":{"id":1}}}',
      TWEET.replace('"ok', '"ok 😷'),
      '{"limit":{"track":5}}',
      TWEET.replace('"id":1', '"id":3').replace('"text":"ok', '"retweet_count":2.5,"text":"ok'),
      "[1,2]",
    ];
    const out = screenLines(linesOf(lines, 10), new ServerRefusals(), rejects, notices);
    expect(notices).toEqual({ delete: 1, limit: 1 });
    expect(copyData(out).toString("utf8")).toBe(`${lines[1]}\n`);
    expect(out.lineNos).toEqual([11]);
    expect(out.ids).toEqual(["1"]);
    expect(rejects.map((r) => [r.lineNo, r.error])).toEqual([
      [
        13,
        "retweet_count 2.5 is not a whole number from -2147483648 to 2147483647 (a count is an INTEGER)",
      ],
      [14, "not a tweet object: the JSON value is not an object"],
    ]);
  });

  it("removes the \\u0000 escape from a stored line, and rejects a line the server refused before", () => {
    const rejects: Rejected[] = [];
    const nul = TWEET.replace('"ok', '"o\\u0000k');
    const refused = new ServerRefusals();
    refused.add({ member: "m.jsonl", lineNo: 2 }, new Error("no"));
    const out = screenLines(linesOf([nul, TWEET]), refused, rejects, {});
    expect(copyData(out).toString("utf8")).toBe(`${TWEET}\n`);
    expect(rejects.map((r) => [r.lineNo, r.error])).toEqual([[2, "refused by PostgreSQL: no"]]);
  });

  it("stores a v2 page as one row per tweet with its includes inlined, and rejects its bad tweets by index", () => {
    const tweet = (i: number, extra = "") =>
      `{"id":"${1000 + i}","author_id":"7","text":"t #a ${i}","entities":{"hashtags":[{"tag":"a"}]}${extra}}`;
    const page = `{"data":[${tweet(0)},${tweet(1, ',"public_metrics":{"like_count":"9"}')},${tweet(2)}],"includes":{"users":[{"id":"7","username":"zoë"}]}}`;
    const rejects: Rejected[] = [];
    const out = screenLines(linesOf([page]), new ServerRefusals(), rejects, {});
    expect(out.ids).toEqual(["1000", "1002"]);
    const rows = copyData(out, true).toString("utf8").trim().split("\n");
    expect(rows[0]?.startsWith("1000\x02")).toBe(true);
    expect(JSON.parse((rows[0] as string).split("\x02")[1] as string).author).toEqual({
      id: "7",
      username: "zoë",
    });
    expect(rejects.map((r) => [r.index, r.error])).toEqual([
      [
        1,
        'data[1] of the v2 page: public_metrics.like_count "9" is not a whole number from -2147483648 to 2147483647 (a count is an INTEGER)',
      ],
    ]);
  });

  it("writes byte strings as their bytes and text as UTF-8, each row after its id when asked", () => {
    const zoe = TWEET.replace('"ok', '"zoë ok');
    const asText: InputLine = { file: "f.zip", member: "m.jsonl", lineNo: 2, text: zoe };
    const lines = [...linesOf([zoe]), asText];
    const out = screenLines(lines, new ServerRefusals(), [], {});
    expect(out.bytes).toEqual([true, false]);
    expect(copyData(out).toString("utf8")).toBe(`${zoe}\n${zoe}\n`);
    expect(copyData(out, true).toString("utf8")).toBe(`1\x02${zoe}\n1\x02${zoe}\n`);
    expect(copyData(screenLines([], new ServerRefusals(), [], {}))).toHaveLength(0);
  });
});
