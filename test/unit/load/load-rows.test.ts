import { describe, expect, it } from "vitest";
import type { InputLine } from "../../../src/input/types.js";
import type { Rejected } from "../../../src/load/loader.js";
import { callValues } from "../../../src/load/normalized/normalized-loader.js";
import { batchCopies } from "../../../src/load/normalized-batch-copy/batch-copy.js";
import { newTally, rowsOfLines } from "../../../src/load/rows-of-lines.js";
import { tweetToRows } from "../../../src/transform/line-to-tweets.js";
import { TWEET_ARGS, TWEET_COLUMN_NAMES } from "../../../src/transform/table-columns.js";
import { json, tweet } from "../transform/tweet-fixture.js";

const rows = tweetToRows(
  json(
    tweet({
      text: "tab\there\nnew \\ line",
      coordinates: { type: "Point", coordinates: [-73.5, 45.5] },
      withheld_in_countries: ["DE", "FR"],
      entities: {
        hashtags: [{ text: "a" }],
        urls: [{ expanded_url: "https://x.example/1" }],
        user_mentions: [{ id: 12, id_str: "12", screen_name: "m", name: "M" }],
      },
      extended_entities: { media: [{ media_url: "http://m/1.jpg", type: "photo" }] },
    }),
  ),
);

describe("normalized_batch COPY payloads", () => {
  it("writes one escaped text-format payload per table, EWKT in PostGIS mode", () => {
    const copies = batchCopies([rows, rows], "postgis");
    const text = Object.fromEntries(copies.map((c) => [c.table, Buffer.concat(c.data).toString()]));
    expect(Object.keys(text)).toEqual([
      "users",
      "tweets",
      "tweet_urls",
      "tweet_mentions",
      "tweet_tags",
      "tweet_media",
    ]);
    const tweetLine = (text.tweets as string).split("\n");
    // Every tweet line is its rows, one rule whatever the batch size.
    expect(tweetLine).toHaveLength(3);
    expect(tweetLine[0]).toBe(tweetLine[1]);
    expect(tweetLine[0]?.split("\t")).toEqual([
      "1344795502917291104",
      "1162492126139802540",
      "2021-01-01T12:34:56+00:00",
      "\\N",
      "\\N",
      "\\N",
      "5",
      "6",
      "0",
      "\\N",
      '{"DE","FR"}',
      '<a href="https://twitter.com">Web</a>',
      "tab\\there\\nnew \\\\ line",
      "\\N",
      "\\N",
      "en",
      "\\N",
      "SRID=4326;POINT(-73.5 45.5)",
    ]);
    expect(
      text.users
        ?.split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t")[0]),
      // Every snapshot is kept: each tweet line writes its author and its mentioned user.
    ).toEqual(["1162492126139802540", "12", "1162492126139802540", "12"]);
    expect(text.tweet_urls).toBe("1344795502917291104\thttps://x.example/1\n".repeat(2));
    expect(text.tweet_mentions).toBe("1344795502917291104\t12\n".repeat(2));
    expect(text.tweet_tags).toBe("1344795502917291104\t#a\n".repeat(2));
    expect(text.tweet_media).toBe("1344795502917291104\thttp://m/1.jpg\tphoto\n".repeat(2));
  });

  it("keeps every snapshot of a user: a row per tweet naming it, with where it came from", () => {
    const later = tweetToRows(
      json(
        tweet({
          id: 5,
          id_str: "5",
          created_at: "Sat Jan 02 00:00:00 +0000 2021",
          entities: { user_mentions: [{ id: 12, id_str: "12", screen_name: "m2" }] },
        }),
      ),
    );
    const [users] = batchCopies([rows, later], "text");
    // id_users, updated_at, screen_name, snapshot_tweet_id, hydrated
    expect(
      Buffer.concat(users?.data ?? [])
        .toString()
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t"))
        .map((f) => [f[0], f[2], f[10], f[15], f[16]]),
    ).toEqual([
      ["1162492126139802540", "2021-01-01T12:34:56+00:00", "sofia", "1344795502917291104", "t"],
      ["12", "2021-01-01T12:34:56+00:00", "m", "1344795502917291104", "f"],
      ["1162492126139802540", "2021-01-02T00:00:00+00:00", "sofia", "5", "t"],
      ["12", "2021-01-02T00:00:00+00:00", "m2", "5", "f"],
    ]);
  });

  it("writes plain WKT in text mode and skips empty tables", () => {
    const plain = tweetToRows(json(tweet({ entities: {} })));
    const copies = batchCopies([plain], "text");
    expect(copies.map((c) => c.table)).toEqual(["users", "tweets"]);
    const coords = tweetToRows(json(tweet({ coordinates: { coordinates: [1, 2] } })));
    const [, tweets] = batchCopies([coords], "text");
    expect(Buffer.concat(tweets?.data ?? []).toString()).toMatch(/\tPOINT\(1 2\)\n$/);
  });
});

describe("normalized call arguments", () => {
  it("passes the tweet's columns, then the author's 13 and the 8 lists, in the function's order", () => {
    // Counted from the table's description, so that a new column changes no number here.
    const n = TWEET_ARGS.length;
    const geo = TWEET_COLUMN_NAMES.split(", ").indexOf("geo");
    const values = callValues(rows, "postgis");
    expect(values).toHaveLength(n + 13 + 8);
    expect(values.slice(0, 2)).toEqual(["1344795502917291104", "1162492126139802540"]);
    expect(values[geo]).toBe("SRID=4326;POINT(-73.5 45.5)");
    expect(values.slice(n + 13)).toEqual([
      ["12"],
      ["m"],
      ["M"],
      ["https://x.example/1"],
      ["12"],
      ["#a"],
      ["http://m/1.jpg"],
      ["photo"],
    ]);
    expect(callValues(rows, "text")[geo]).toBe("POINT(-73.5 45.5)");
  });
});

describe("rowsOfLines with byte strings", () => {
  const asBytes = (line: InputLine): InputLine => ({
    ...line,
    text: Buffer.from(line.text, "utf8").toString("latin1"),
    byteString: true,
  });
  const at = (lineNo: number, text: string): InputLine => ({
    file: "f.zip",
    member: "m.jsonl",
    lineNo,
    text,
  });

  it("rejects a bad line as text, with the reason the text path gives", () => {
    const good = at(1, json(tweet({ text: "très bien" })));
    const bad = at(2, '{"text":"très mal",');
    const seen: Rejected[] = [];
    const rejected = newTally();
    const hooks = { onReject: (r: Rejected) => seen.push(r) };
    const rows = rowsOfLines([asBytes(good), asBytes(bad)], hooks, rejected);
    expect(rows.map((r) => r.tweet.text)).toEqual(["très bien"]);
    const plain: Rejected[] = [];
    rowsOfLines([bad], { onReject: (r) => plain.push(r) }, newTally());
    expect(rejected.rejects).toBe(1);
    expect(seen).toEqual(plain);
    expect(seen[0]?.text).toBe('{"text":"très mal",');
    expect(seen[0]?.byteString).toBeUndefined();
  });

  it("names the line's text in the error when there is no reject hook", () => {
    const bad = at(3, '{"text":"ünfinished"');
    expect(() => rowsOfLines([asBytes(bad)], {}, newTally())).toThrow(
      /^f\.zip m\.jsonl:3: not valid JSON/,
    );
  });
});
