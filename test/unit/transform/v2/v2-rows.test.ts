import { describe, expect, it } from "vitest";
import { BadLineError } from "../../../../src/errors.js";
import { lineToTweets } from "../../../../src/transform/line-to-tweets.js";
import type { TweetRows } from "../../../../src/transform/rows.js";
import { BYTES, TEXT } from "../../../../src/transform/tweet-to-rows.js";

/** A v2 tweet as the API gives it; `over` replaces or adds top-level fields. */
const tweet = (over: Record<string, unknown> = {}) => ({
  id: "1345000000000000001",
  author_id: "9007199254740993",
  text: "hello #World $GME @ann https://t.co/a https://t.co/m",
  created_at: "2021-01-01T12:00:00.000Z",
  lang: "en",
  source: "Twitter for iPhone",
  public_metrics: { retweet_count: 1, reply_count: 2, like_count: 3, quote_count: 4 },
  entities: {
    hashtags: [{ start: 6, end: 12, tag: "World" }],
    cashtags: [{ start: 13, end: 17, tag: "GME" }],
    mentions: [{ start: 18, end: 22, username: "ann", id: "77" }],
    urls: [
      { url: "https://t.co/a", expanded_url: "https://example.org/a" },
      { url: "https://t.co/m", expanded_url: "https://twitter.com/x/photo/1", media_key: "3_1" },
    ],
  },
  ...over,
});

const includes = {
  users: [
    {
      id: "9007199254740993",
      username: "sofia",
      name: "Sofia",
      created_at: "2019-08-16T22:31:35.000Z",
      url: "",
      description: "writer",
      location: "Montréal",
      protected: false,
      verified: true,
      public_metrics: { followers_count: 9, following_count: 1, listed_count: 2, tweet_count: 4 },
      withheld: { country_codes: ["DE"] },
    },
    { id: "77", username: "ann", name: "Ann" },
  ],
  places: [
    {
      id: "p1",
      full_name: "Austin, TX",
      country_code: "US",
      geo: { bbox: [-97.9, 30.1, -97.5, 30.5] },
    },
  ],
  media: [
    { media_key: "3_1", type: "photo", url: "https://pbs.twimg.com/media/a.jpg" },
    { media_key: "7_2", type: "video", preview_image_url: "https://pbs.twimg.com/v.jpg" },
  ],
};

const one = (line: unknown, strings = TEXT): TweetRows => {
  const { tweets, rejects } = lineToTweets(JSON.stringify(line), strings);
  expect(rejects).toEqual([]);
  expect(tweets).toHaveLength(1);
  return tweets[0] as TweetRows;
};
const page = (t: Record<string, unknown>) => ({ data: [t], includes });

describe("v2 tweets → rows (the mapping table of docs/contract/api-v2.md)", () => {
  const cases: [string, Record<string, unknown>, (r: TweetRows) => unknown, unknown][] = [
    [
      "ids and counts",
      tweet(),
      (r) => [
        r.tweet.id,
        r.tweet.userId,
        r.tweet.retweetCount,
        r.tweet.favoriteCount,
        r.tweet.quoteCount,
      ],
      ["1345000000000000001", "9007199254740993", 1, 3, 4],
    ],
    ["tags: # hashtags, $ cashtags", tweet(), (r) => r.tags, ["#World", "$GME"]],
    ["urls leave out the media link", tweet(), (r) => r.urls, ["https://example.org/a"]],
    [
      "mentions are unhydrated, without a name",
      tweet(),
      (r) => [r.mentions, r.users[1]],
      [
        ["77"],
        expect.objectContaining({ id: "77", screenName: "ann", name: null, createdAt: null }),
      ],
    ],
    [
      "note_tweet gives text and entities",
      tweet({ note_tweet: { text: "long #Note", entities: { hashtags: [{ tag: "Note" }] } } }),
      (r) => [r.tweet.text, r.tags],
      ["long #Note", ["#Note"]],
    ],
    [
      "replied_to and quoted",
      tweet({
        referenced_tweets: [
          { type: "quoted", id: "5" },
          { type: "replied_to", id: "6" },
        ],
        in_reply_to_user_id: "77",
      }),
      (r) => [r.tweet.inReplyToStatusId, r.tweet.quotedStatusId, r.tweet.inReplyToUserId],
      ["6", "5", "77"],
    ],
    [
      "withheld",
      tweet({ withheld: { copyright: true, country_codes: ["FR"] } }),
      (r) => [r.tweet.withheldCopyright, r.tweet.withheldInCountries],
      [true, ["FR"]],
    ],
    [
      "a point wins over the place box",
      tweet({
        geo: { place_id: "p1", coordinates: { type: "Point", coordinates: [-97.7, 30.2] } },
      }),
      (r) => r.tweet.geo,
      "POINT(-97.7 30.2)",
    ],
    [
      "no geo: NULLs",
      tweet(),
      (r) => [r.tweet.geo, r.tweet.countryCode, r.tweet.placeName],
      [null, null, null],
    ],
  ];
  it.each(cases)("%s", (_, t, pick, expected) => {
    expect(pick(one(t))).toEqual(expected);
    expect(pick(one(page(t)))).toEqual(expected);
  });

  it("resolves a page's author, place and media through includes", () => {
    const r = one(
      page(tweet({ geo: { place_id: "p1" }, attachments: { media_keys: ["3_1", "7_2"] } })),
    );
    expect(r.users[0]).toEqual({
      id: "9007199254740993",
      createdAt: "2019-08-16T22:31:35.000Z",
      updatedAt: "2021-01-01T12:00:00.000Z",
      url: null,
      friendsCount: 1,
      listedCount: 2,
      favouritesCount: null,
      statusesCount: 4,
      protected: false,
      verified: true,
      screenName: "sofia",
      name: "Sofia",
      location: "Montréal",
      description: "writer",
      withheldInCountries: ["DE"],
    });
    expect([r.tweet.countryCode, r.tweet.stateCode, r.tweet.placeName]).toEqual([
      "us",
      "tx",
      "Austin, TX",
    ]);
    expect(r.tweet.geo).toBe(
      "MULTIPOLYGON(((-97.9 30.1,-97.9 30.5,-97.5 30.5,-97.5 30.1,-97.9 30.1)))",
    );
    expect(r.media).toEqual([
      { url: "https://pbs.twimg.com/media/a.jpg", type: "photo" },
      { url: "https://pbs.twimg.com/v.jpg", type: "video" },
    ]);
  });

  it("gives the same rows for a page and for its flattened tweet", () => {
    const t = tweet({
      geo: { place_id: "p1" },
      attachments: { media_keys: ["3_1"] },
      in_reply_to_user_id: "77",
    });
    const flat = {
      ...t,
      author: includes.users[0],
      in_reply_to_user: includes.users[1],
      attachments: { media_keys: ["3_1"], media: [includes.media[0]] },
      geo: { place_id: "p1", ...includes.places[0] },
    };
    expect(one(flat)).toEqual(one(page(t)));
    expect(one(flat).users[1]?.screenName).toBe("ann");
  });

  it("gives NULLs for references the page does not include", () => {
    const r = one({
      data: [tweet({ geo: { place_id: "nowhere" }, attachments: { media_keys: ["3_9"] } })],
    });
    expect([r.users[0]?.screenName, r.tweet.placeName, r.tweet.geo, r.media]).toEqual([
      null,
      null,
      null,
      [],
    ]);
  });

  it("yields one tweet per element of data and rejects the bad ones by index", () => {
    const { tweets, rejects } = lineToTweets(
      JSON.stringify({ data: [tweet(), { id: "2" }, [], tweet({ id: "3" })], includes }),
      TEXT,
    );
    expect(tweets.map((t) => t.tweet.id)).toEqual(["1345000000000000001", "3"]);
    expect(rejects).toEqual([
      {
        index: 1,
        text: '{"id":"2"}',
        error: "data[1] of the v2 page: not a tweet object: it lacks an id or an author_id",
      },
      {
        index: 2,
        text: "[]",
        error: "data[2] of the v2 page: not a tweet object: the JSON value is not an object",
      },
    ]);
  });

  it("keeps ids written as numbers above 2^53 exact, and removes NUL", () => {
    const line =
      '{"data":[{"id":1345000000000000001,"author_id":9007199254740993,"text":"a\\u0000b \\\\u0000"}]}';
    const [r] = lineToTweets(line, TEXT).tweets;
    expect([r?.tweet.id, r?.tweet.userId, r?.tweet.text]).toEqual([
      "1345000000000000001",
      "9007199254740993",
      "ab \\u0000",
    ]);
  });

  it("reads byte strings as text (non-ASCII decoded)", () => {
    const line = JSON.stringify(
      page(tweet({ text: "Zoë 😷 #World $GME @ann https://t.co/a https://t.co/m" })),
    );
    const bytes = Buffer.from(line, "utf8").toString("latin1");
    const bytesRead = lineToTweets(bytes, BYTES);
    const textRead = lineToTweets(line, TEXT);
    expect([bytesRead.tweets, bytesRead.rejects]).toEqual([textRead.tweets, textRead.rejects]);
  });

  it("judges a line with neither user nor author_id as v1.1 (its reason)", () => {
    expect(() => lineToTweets('{"id":"1","text":"x"}', TEXT)).toThrow(BadLineError);
    expect(() => lineToTweets('{"id":"1","text":"x"}', TEXT)).toThrow(/lacks an id or a user/);
  });
});
