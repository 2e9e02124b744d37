import { describe, expect, it } from "vitest";
import { stagingCopies } from "../../../src/load/normalized-batched/staging-copies.js";
import type { TweetRows, UserRow } from "../../../src/transform/rows.js";

const user = (id: string, over: Partial<UserRow> = {}): UserRow => ({
  id,
  createdAt: null,
  updatedAt: null,
  url: null,
  friendsCount: null,
  listedCount: null,
  favouritesCount: null,
  statusesCount: null,
  protected: null,
  verified: null,
  screenName: `sn${id}`,
  name: null,
  location: null,
  description: null,
  withheldInCountries: null,
  ...over,
});

function rows(id: string, users: UserRow[], over: Partial<TweetRows> = {}): TweetRows {
  return {
    tweet: {
      id,
      userId: users[0]?.id ?? "0",
      createdAt: "2021-01-01T00:00:00+00:00",
      inReplyToStatusId: null,
      inReplyToUserId: null,
      quotedStatusId: null,
      retweetCount: 1,
      favoriteCount: 2,
      quoteCount: 3,
      withheldCopyright: null,
      withheldInCountries: null,
      source: null,
      text: `text of ${id}`,
      countryCode: null,
      stateCode: null,
      lang: "en",
      placeName: null,
      geo: "POINT(1 2)",
    },
    users,
    urls: [],
    mentions: [],
    tags: [],
    media: [],
    ...over,
  };
}

/** The COPY text of each staging table, as lines of tab-separated fields. */
function tables(
  batch: TweetRows[],
  mode: "postgis" | "text" = "text",
  present: ReadonlySet<string> = new Set(),
) {
  return Object.fromEntries(
    stagingCopies(batch, mode, present).map((c) => [
      c.table,
      { sql: c.sql, lines: Buffer.concat(c.data).toString("utf8").split("\n").slice(0, -1) },
    ]),
  );
}

describe("stagingCopies", () => {
  it("stages a repeated tweet once, as its first occurrence", () => {
    const first = rows("9007199254740993", [user("1")], { tags: ["#a"] });
    const again = rows("9007199254740993", [user("1")], { tags: ["#b"] });
    again.tweet.text = "other text";
    const t = tables([first, again]);
    expect(t.stage_tweets?.lines).toHaveLength(1);
    expect(t.stage_tweets?.lines[0]).toContain("text of 9007199254740993");
    expect(t.stage_tweets?.lines[0]?.split("\t").slice(-6)).toEqual([
      "\\N",
      "\\N",
      "\\N",
      '{"#a"}',
      "\\N",
      "\\N",
    ]);
  });

  it("keeps each user's first row in input order, hydrated or not", () => {
    const mentionFirst = rows("10", [user("1"), user("2", { name: "unhydrated" })], {
      mentions: ["2"],
    });
    const authorLater = rows("11", [user("2", { name: "hydrated", friendsCount: 5 })]);
    const t = tables([mentionFirst, authorLater]);
    const users = t.stage_users?.lines.map((l) => l.split("\t")) ?? [];
    expect(users.map((u) => [u[0], u[11]])).toEqual([
      ["1", "\\N"],
      ["2", "unhydrated"],
    ]);
    expect(t.stage_tweets?.lines[0]?.split("\t").at(-4)).toBe('{"2"}');
  });

  it("leaves out the users known to be present, but not their tweets' author urls", () => {
    const batch = [
      rows("10", [user("1", { url: "https://a.example" }), user("2")], { mentions: ["2"] }),
      rows("11", [user("3")]),
    ];
    const t = tables(batch, "text", new Set(["1", "2"]));
    expect(t.stage_users?.lines.map((l) => l.split("\t")[0])).toEqual(["3"]);
    expect(t.stage_tweets?.lines[0]?.split("\t").at(-6)).toBe("https://a.example");
    expect(t.stage_tweets?.lines[0]?.split("\t").at(-4)).toBe('{"2"}');
  });

  it("stages every tweet's author url, also when the author's row is an earlier one", () => {
    const a = rows("10", [user("1", { url: "https://a.example" })]);
    const b = rows("11", [user("1", { url: "https://b.example" })]);
    const t = tables([a, b]);
    expect(t.stage_users?.lines).toHaveLength(1);
    expect(t.stage_tweets?.lines.map((l) => l.split("\t").at(-6))).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
  });

  it("writes EWKT for a PostGIS geometry column and plain WKT for text", () => {
    const batch = [rows("10", [user("1")])];
    expect(tables(batch, "postgis").stage_tweets?.lines[0]).toContain("\tSRID=4326;POINT(1 2)\t");
    expect(tables(batch, "text").stage_tweets?.lines[0]).toContain("\tPOINT(1 2)\t");
  });

  it("COPYs into the two staging tables, links as arrays, and leaves out an empty table", () => {
    const t = tables([
      rows("10", [user("1")], {
        urls: ["https://u.example", 'https://q.example/?a="b"'],
        media: [{ url: "https://m.example", type: "photo" }],
      }),
    ]);
    expect(Object.keys(t)).toEqual(["stage_users", "stage_tweets"]);
    for (const [table, { sql }] of Object.entries(t)) {
      expect(sql).toMatch(new RegExp(`^COPY ${table} \\(.+\\) FROM STDIN$`));
    }
    expect(t.stage_tweets?.lines[0]?.split("\t").slice(-5)).toEqual([
      '{"https://u.example","https://q.example/?a=\\\\"b\\\\""}',
      "\\N",
      "\\N",
      '{"https://m.example"}',
      '{"photo"}',
    ]);
    const known = tables([rows("11", [user("1")])], "text", new Set(["1"]));
    expect(Object.keys(known)).toEqual(["stage_tweets"]);
  });

  it("stages nothing for an empty batch", () => {
    expect(stagingCopies([], "text")).toEqual([]);
  });
});
