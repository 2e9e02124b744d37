import { describe, expect, it } from "vitest";
import { StagingBatch } from "../../../src/load/normalized-staged-batch/staging-batch.js";
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

/** COPY text as lines of tab-separated fields. */
const copyRows = (data: Buffer[] | undefined) =>
  data
    ? Buffer.concat(data)
        .toString("utf8")
        .split("\n")
        .slice(0, -1)
        .map((l) => l.split("\t"))
    : [];

/** A batch built from `batch`, with its users' and tweets' COPY text as rows of fields. */
function staged(batch: TweetRows[], mode: "postgis" | "text" = "text") {
  const staging = new StagingBatch(mode);
  for (const rows of batch) staging.add(rows);
  const users = staging.usersCopies().get("");
  const tweets = staging.tweetsCopies().get("");
  return {
    staging,
    usersSql: users?.sql,
    sql: tweets?.sql,
    // id_users, created_at, updated_at, url, friends_count, listed_count, …, name (11), …
    users: copyRows(users?.data),
    tweets: copyRows(tweets?.data),
  };
}

describe("StagingBatch", () => {
  it("stages a repeated tweet once, as its first occurrence", () => {
    const first = rows("9007199254740993", [user("1")], { tags: ["#a"] });
    const again = rows("9007199254740993", [user("1")], { tags: ["#b"] });
    again.tweet.text = "other text";
    const { staging, tweets } = staged([first, again]);
    expect(staging.size).toBe(2);
    expect(tweets).toHaveLength(1);
    expect(tweets[0]).toContain("text of 9007199254740993");
    // urls, mentions, tags, media urls, media types
    expect(tweets[0]?.slice(-5)).toEqual(["\\N", "\\N", '{"#a"}', "\\N", "\\N"]);
  });

  // Columns: 0 id_users, 2 updated_at, 4 friends_count, 11 name, 15 snapshot_tweet_id, 16 hydrated.
  const pick = (u: string[]) => [u[0], u[11], u[15], u[16]];
  const at = (time: string | null, r: TweetRows) => {
    r.tweet.createdAt = time;
    for (const u of r.users) u.updatedAt = time;
    return r;
  };

  it("stages each user's hydrated row over unhydrated ones, whichever comes first", () => {
    const mentionFirst = rows("10", [user("1"), user("2", { name: "unhydrated" })], {
      mentions: ["2"],
    });
    const authorEarlier = at(
      "2020-12-31T00:00:00+00:00",
      rows("9", [user("2", { name: "hydrated", friendsCount: 5 })]),
    );
    const mentionLater = rows("12", [user("3"), user("2", { name: "later mention" })]);
    const { users, usersSql, tweets } = staged([mentionFirst, authorEarlier, mentionLater]);
    expect(usersSql).toMatch(/^COPY stage_users \(id_users, .+, url, .+, hydrated\) FROM STDIN$/);
    expect(users.map(pick).sort()).toEqual([
      ["1", "\\N", "10", "t"],
      ["2", "hydrated", "9", "t"],
      ["3", "\\N", "12", "t"],
    ]);
    expect(tweets[0]?.at(-4)).toBe('{"2"}');
  });

  it("stages the snapshot of the latest tweet, ties on time going to the greater tweet id", () => {
    const t = (id: string, time: string, name: string) => at(time, rows(id, [user("7", { name })]));
    const batch = [
      t("30", "2021-01-02T00:00:00+00:00", "latest, smaller id"),
      t("31", "2021-01-02T00:00:00+00:00", "latest, greater id"),
      t("99", "2021-01-01T23:59:59+00:00", "earlier, greatest id"),
    ];
    for (const order of [batch, [...batch].reverse()]) {
      expect(staged(order).users.map(pick)).toEqual([["7", "latest, greater id", "31", "t"]]);
    }
  });

  it("ranks unhydrated rows by the latest tweet too, a missing time lowest", () => {
    const m = (id: string, time: string | null, name: string) =>
      at(time, rows(id, [user(`8${id}`), user("5", { name })]));
    const { users } = staged([
      m("40", "2021-01-03T00:00:00+00:00", "newest"),
      m("41", null, "no time"),
      m("39", "2021-01-01T00:00:00+00:00", "oldest"),
    ]);
    expect(users.map(pick).filter((u) => u[0] === "5")).toEqual([["5", "newest", "40", "f"]]);
  });

  it("pairs every tweet with its author url, also when the author's row is another one", () => {
    const a = rows("10", [user("1", { url: "https://a.example" })]);
    const b = rows("11", [user("1", { url: "https://b.example" })]);
    const { staging, users } = staged([a, b]);
    expect(users).toHaveLength(1);
    expect(users[0]?.[3]).toBe("https://b.example");
    expect(staging.tweetUrls().get("")).toEqual({
      ids: ["10", "11"],
      urls: ["https://a.example", "https://b.example"],
    });
  });

  it("writes EWKT for a PostGIS geometry column and plain WKT for text", () => {
    const batch = [rows("10", [user("1")])];
    expect(staged(batch, "postgis").tweets[0]).toContain("SRID=4326;POINT(1 2)");
    expect(staged(batch, "text").tweets[0]).toContain("POINT(1 2)");
  });

  it("COPYs the tweets with their links as arrays, and lists every url of the batch", () => {
    const { staging, sql, tweets } = staged([
      rows("10", [user("1")], {
        urls: ["https://u.example", 'https://q.example/?a="b"'],
        media: [
          { url: "https://m.example", type: "photo" },
          { url: "https://n.example", type: null },
        ],
      }),
    ]);
    expect(sql).toMatch(/^COPY stage_tweets \(.+, media_types\) FROM STDIN$/);
    expect(tweets[0]?.slice(-5)).toEqual([
      '{"https://u.example","https://q.example/?a=\\\\"b\\\\""}',
      "\\N",
      "\\N",
      '{"https://m.example","https://n.example"}',
      '{"photo",NULL}',
    ]);
    expect(staging.tweetUrls().get("")?.urls).toEqual([
      "https://u.example",
      'https://q.example/?a="b"',
      "https://m.example",
      "https://n.example",
    ]);
  });

  it("has no COPY for an empty batch", () => {
    const empty = new StagingBatch("text");
    expect(empty.usersCopies().size).toBe(0);
    expect(empty.tweetsCopies().size).toBe(0);
  });
});

describe("StagingBatch spread over Citus nodes", () => {
  it("puts each tweet, user and url on the node its route names, and no row twice", () => {
    const route = {
      id: (id: string) => (Number(id) % 2 === 0 ? "even" : "odd"),
      url: (url: string) => (url.includes("a.") ? "even" : "odd"),
    };
    const staging = new StagingBatch("text", route);
    staging.add(rows("10", [user("1", { url: "https://a.example" }), user("2")]));
    staging.add(rows("11", [user("2")], { urls: ["https://b.example"] }));
    const users = staging.usersCopies();
    expect(copyRows(users.get("odd")?.data).map((u) => u[0])).toEqual(["1"]);
    expect(copyRows(users.get("even")?.data).map((u) => u[0])).toEqual(["2"]);
    const tweets = staging.tweetsCopies();
    expect(copyRows(tweets.get("even")?.data).map((t) => t[0])).toEqual(["10"]);
    expect(copyRows(tweets.get("odd")?.data).map((t) => t[0])).toEqual(["11"]);
    expect(staging.tweetUrls().get("even")).toEqual({ ids: ["10"], urls: ["https://a.example"] });
    expect(staging.tweetUrls().get("odd")).toEqual({ ids: ["11"], urls: ["https://b.example"] });
  });
});
