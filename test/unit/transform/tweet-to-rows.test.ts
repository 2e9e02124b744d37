import { describe, expect, it } from "vitest";
import { BadLineError } from "../../../src/errors.js";
import { boxOf, float8Text, geoWkt, pointOf } from "../../../src/transform/geo.js";
import { tweetToRows, tweetToRowsOfBytes } from "../../../src/transform/line-to-tweets.js";
import { stateCode } from "../../../src/transform/tweet-to-rows.js";
import { json, tweet } from "./tweet-fixture.js";

describe("tweetToRows", () => {
  it("maps a plain tweet", () => {
    const rows = tweetToRows(json(tweet()));
    expect(rows.tweet).toMatchObject({
      id: "1344795502917291104",
      userId: "1162492126139802540",
      createdAt: "2021-01-01T12:34:56+00:00",
      text: "hello #World",
      retweetCount: 5,
      favoriteCount: 6,
      quoteCount: 0,
      lang: "en",
      geo: null,
      countryCode: null,
      stateCode: null,
      placeName: null,
      inReplyToUserId: null,
    });
    expect(rows.users).toEqual([
      expect.objectContaining({
        id: "1162492126139802540",
        createdAt: "2019-08-16T22:31:35+00:00",
        updatedAt: "2021-01-01T12:34:56+00:00",
        url: "https://example.com/sofia",
        screenName: "sofia",
        verified: true,
        statusesCount: 4,
      }),
    ]);
    expect(rows.tags).toEqual(["#World"]);
    expect(rows.urls).toEqual([]);
    expect(rows.media).toEqual([]);
  });

  describe("64-bit ids above 2^53, digit for digit", () => {
    // 2^63-1 and 2^53+1 are where float64 rounding shows.
    const big = {
      id: "9223372036854775807",
      user: "9007199254740993",
      reply: "1344795502917291105",
      replyUser: "18014398509481985",
      quoted: "1344795502917291107",
      mention: "9007199254740995",
    };
    const raw = (withTwins: boolean) => {
      const twin = (key: string, value: string) => (withTwins ? `,"${key}_str":"${value}"` : "");
      return (
        `{"id":${big.id}${twin("id", big.id)},"created_at":"Fri Jan 01 12:34:56 +0000 2021",` +
        `"user":{"id":${big.user}${twin("id", big.user)},"screen_name":"u"},` +
        `"in_reply_to_status_id":${big.reply}${twin("in_reply_to_status_id", big.reply)},` +
        `"in_reply_to_user_id":${big.replyUser}${twin("in_reply_to_user_id", big.replyUser)},` +
        `"in_reply_to_screen_name":"r",` +
        `"quoted_status_id":${big.quoted}${twin("quoted_status_id", big.quoted)},` +
        `"text":"ids 9007199254740993 in text","entities":{"user_mentions":[{"id":${big.mention}${twin("id", big.mention)},"screen_name":"m","name":"M"}]}}`
      );
    };
    it.each([
      ["with _str twins", true],
      ["without _str twins (exact fallback)", false],
    ])("%s", (_, withTwins) => {
      const rows = tweetToRows(raw(withTwins));
      expect(rows.tweet.id).toBe(big.id);
      expect(rows.tweet.userId).toBe(big.user);
      expect(rows.tweet.inReplyToStatusId).toBe(big.reply);
      expect(rows.tweet.inReplyToUserId).toBe(big.replyUser);
      expect(rows.tweet.quotedStatusId).toBe(big.quoted);
      expect(rows.tweet.text).toBe("ids 9007199254740993 in text");
      expect(rows.mentions).toEqual([big.mention]);
      expect(rows.users.map((u) => u.id)).toEqual([big.user, big.replyUser, big.mention]);
    });
    it("the plain parse would have rounded them (the test can fail)", () => {
      expect(String(JSON.parse(`{"id":${big.user}}`).id)).not.toBe(big.user);
    });
  });

  it("uses extended_tweet for text, entities and media", () => {
    const rows = tweetToRows(
      json(
        tweet({
          text: "short…",
          truncated: true,
          entities: { hashtags: [{ text: "short" }], urls: [] },
          extended_entities: { media: [{ media_url: "http://short/m.jpg", type: "photo" }] },
          extended_tweet: {
            full_text: "the full text #Long $TSLA",
            entities: {
              hashtags: [{ text: "Long" }, { text: "Long" }],
              symbols: [{ text: "TSLA" }],
              urls: [
                { expanded_url: "https://a.example/1" },
                { expanded_url: "https://a.example/1" },
              ],
              user_mentions: [],
            },
            extended_entities: {
              media: [
                { media_url: "http://pbs/1.jpg", type: "photo" },
                { media_url: "http://pbs/2.mp4", type: "video" },
              ],
            },
          },
        }),
      ),
    );
    expect(rows.tweet.text).toBe("the full text #Long $TSLA");
    expect(rows.tags).toEqual(["#Long", "$TSLA"]);
    expect(rows.urls).toEqual(["https://a.example/1"]);
    expect(rows.media).toEqual([
      { url: "http://pbs/1.jpg", type: "photo" },
      { url: "http://pbs/2.mp4", type: "video" },
    ]);
  });

  it("falls back to extended_entities when extended_tweet has no media", () => {
    const rows = tweetToRows(
      json(
        tweet({
          extended_entities: { media: [{ media_url: "http://m/1.jpg", type: "photo" }] },
          extended_tweet: { full_text: "x", entities: {} },
        }),
      ),
    );
    expect(rows.media).toEqual([{ url: "http://m/1.jpg", type: "photo" }]);
    expect(rows.tags).toEqual([]);
  });

  it("takes the media of a 2011-2013 tweet from entities, which had no extended_entities yet", () => {
    const photo = { media_url: "http://pbs/2012.jpg", type: "photo" };
    const rows = tweetToRows(json(tweet({ entities: { hashtags: [], media: [photo] } })));
    expect(rows.media).toEqual([{ url: "http://pbs/2012.jpg", type: "photo" }]);
    // Where extended_entities is there, it wins (entities.media holds only the first photo).
    const both = tweetToRows(
      json(
        tweet({
          entities: { media: [photo] },
          extended_entities: { media: [photo, { media_url: "http://pbs/2.jpg", type: "photo" }] },
        }),
      ),
    );
    expect(both.media).toHaveLength(2);
    // Read there, entities.media is judged as any list the rows take; unread, it is not.
    const bad = json(tweet({ entities: { hashtags: [], media: "x" } }));
    expect(() => tweetToRows(bad)).toThrow(/entities\.media/);
    const unread = { entities: { media: "x" }, extended_entities: { media: [photo] } };
    expect(tweetToRows(json(tweet(unread))).media).toHaveLength(1);
  });

  it("treats missing optional fields as NULL", () => {
    const rows = tweetToRows('{"id_str":"5","user":{"id_str":"7"}}');
    expect(rows.tweet).toEqual({
      id: "5",
      userId: "7",
      createdAt: null,
      inReplyToStatusId: null,
      inReplyToUserId: null,
      quotedStatusId: null,
      retweetCount: null,
      favoriteCount: null,
      quoteCount: null,
      withheldCopyright: null,
      withheldInCountries: null,
      source: null,
      text: null,
      countryCode: null,
      stateCode: null,
      lang: null,
      placeName: null,
      geo: null,
    });
    expect(rows.users).toHaveLength(1);
    expect(rows.users[0]?.screenName).toBeNull();
  });

  it("adds unhydrated users for the reply target and mentions, first row first", () => {
    const rows = tweetToRows(
      json(
        tweet({
          in_reply_to_user_id: 11,
          in_reply_to_user_id_str: "11",
          in_reply_to_screen_name: "replied",
          entities: {
            user_mentions: [
              { id: 11, id_str: "11", screen_name: "replied", name: "R" },
              { id: 12, id_str: "12", screen_name: "other", name: "O" },
              {
                id: Number("1162492126139802540"),
                id_str: "1162492126139802540",
                screen_name: "sofia",
                name: "S",
              },
              { id: 12, id_str: "12", screen_name: "other", name: "O" },
            ],
          },
        }),
      ),
    );
    expect(rows.users.map((u) => [u.id, u.screenName, u.name, u.createdAt])).toEqual([
      ["1162492126139802540", "sofia", "Sofia", "2019-08-16T22:31:35+00:00"],
      ["11", "replied", null, null],
      ["12", "other", "O", null],
    ]);
    expect(rows.mentions).toEqual(["11", "12", "1162492126139802540"]);
    expect(rows.tweet.inReplyToUserId).toBe("11");
  });

  it("removes NUL (\\u0000) but keeps an escaped backslash followed by u0000", () => {
    const raw = json(tweet({ text: "a\u0000b", source: "c\\u0000d" }));
    expect(raw).toContain("a\\u0000b");
    const rows = tweetToRows(raw);
    expect(rows.tweet.text).toBe("ab");
    expect(rows.tweet.source).toBe("c\\u0000d");
  });

  it("keeps unicode and emoji intact", () => {
    const rows = tweetToRows(json(tweet({ text: "백신 😷 𝕏 \u200d é", lang: "ko" })));
    expect(rows.tweet.text).toBe("백신 😷 𝕏 \u200d é");
  });

  it("maps place: country, place name, state code, bounding box", () => {
    const place = {
      full_name: "Los Angeles, CA",
      country_code: "US",
      bounding_box: {
        type: "Polygon",
        coordinates: [
          [
            [-118.6, 33.7],
            [-118.6, 34.3],
            [-118.1, 34.3],
            [-118.1, 33.7],
          ],
        ],
      },
    };
    const rows = tweetToRows(json(tweet({ place })));
    expect(rows.tweet).toMatchObject({
      countryCode: "us",
      placeName: "Los Angeles, CA",
      stateCode: "ca",
      geo: "MULTIPOLYGON(((-118.6 33.7,-118.6 34.3,-118.1 34.3,-118.1 33.7,-118.6 33.7)))",
    });
  });

  it.each([
    [
      "point wins over the box",
      { type: "Point", coordinates: [-73.5, 45.5] },
      true,
      "POINT(-73.5 45.5)",
    ],
    ["box without a point", null, true, "MULTIPOLYGON(((0 0,0 1,1 1,0 0)))"],
    ["neither", null, false, null],
  ])("geo: %s", (_, coordinates, withBox, expected) => {
    const place = withBox
      ? {
          bounding_box: {
            type: "Polygon",
            coordinates: [
              [
                [0, 0],
                [0, 1],
                [1, 1],
                [0, 0],
              ],
            ],
          },
        }
      : null;
    const point = pointOf(coordinates, "coordinates");
    expect(geoWkt(point, boxOf(place?.bounding_box.coordinates, "box"))).toBe(expected);
  });

  it.each([
    ["not JSON", "{not json"],
    ["truncated", '{"id":1,"user":{"id":2}'],
    ["an array", "[1,2]"],
    ["a string", '"tweet"'],
    ["without user", '{"id":1}'],
    ["without id", '{"user":{"id":2}}'],
    ["user without id", '{"id":1,"user":{}}'],
  ])("rejects a line that is %s", (_, line) => {
    expect(() => tweetToRows(line)).toThrow(BadLineError);
  });
});

describe("stateCode", () => {
  it.each([
    ["us", "Los Angeles, CA", "ca"],
    ["us", "Austin,  tx ", "tx"],
    ["us", "California, USA", null],
    ["us", "Texas", null],
    ["us", "A, B, NY", "ny"],
    ["ca", "Montréal, QC", null],
    [null, "Los Angeles, CA", null],
    ["us", null, null],
  ])("%s %j → %j", (country, name, expected) => {
    expect(stateCode(country, name)).toBe(expected);
  });
});

describe("float8Text (as PostgreSQL prints float8)", () => {
  it.each([
    [0.00001, "1e-05"],
    [1e-7, "1e-07"],
    [1.2345678901234568e17, "1.2345678901234568e+17"],
    [-73.123456, "-73.123456"],
    [1e15, "1e+15"],
    [999999999999999, "999999999999999"],
    [0.0001, "0.0001"],
    [-0.0001, "-0.0001"],
    [0.0000999999, "9.99999e-05"],
    [-1e15, "-1e+15"],
    [45.5, "45.5"],
    [-0, "-0"],
    [0, "0"],
  ])("%d → %s", (n, text) => {
    expect(float8Text(n)).toBe(text);
  });
});

describe("tweetToRowsOfBytes", () => {
  /** The line's UTF-8 bytes one per character, as readLineBatches gives byte strings. */
  const bytesOf = (text: string) => Buffer.from(text, "utf8").toString("latin1");

  it("gives the rows of tweetToRows, every string decoded", () => {
    const line = json(
      tweet({
        text: "Ça va? 😷 #Überall #코로나 $€UR @jérôme https://t.co/x",
        source: '<a href="https://ex.ample/ü">Ünïcode</a>',
        in_reply_to_user_id_str: "42",
        in_reply_to_screen_name: "rené",
        user: {
          ...(tweet().user as object),
          name: "Zoë 🌸",
          location: "Montréal, Québec",
          description: "naïve café",
          url: "https://exämple.com/ü",
          withheld_in_countries: ["DE", "ß"],
        },
        entities: {
          hashtags: [{ text: "Überall" }, { text: "코로나" }],
          symbols: [{ text: "€UR" }],
          urls: [{ expanded_url: "https://example.com/straße" }],
          user_mentions: [{ id_str: "7", screen_name: "jérôme", name: "Jérôme" }],
        },
        extended_entities: { media: [{ media_url: "https://pbs.example/é.jpg", type: "photo" }] },
        place: { full_name: "São Paulo, Brasil", country_code: "BR", bounding_box: null },
        withheld_in_countries: ["FR", "é"],
      }),
    );
    const text = tweetToRows(line);
    expect(text.users[0]?.name).toBe("Zoë 🌸");
    expect(tweetToRowsOfBytes(bytesOf(line))).toEqual(text);
  });

  it("matches tweetToRows on ASCII and exact-id lines too (the test can fail)", () => {
    const ascii = json(tweet());
    expect(tweetToRowsOfBytes(bytesOf(ascii))).toEqual(tweetToRows(ascii));
    const inexact = `{"id":1344795502917291104,"text":"é","user":{"id":1162492126139802540,"name":"Zoë"}}`;
    const rows = tweetToRowsOfBytes(bytesOf(inexact));
    expect(rows.tweet.id).toBe("1344795502917291104");
    expect(rows.users[0]?.name).toBe("Zoë");
    // Taken as text, the bytes would be other characters:
    expect(tweetToRows(bytesOf(inexact)).users[0]?.name).not.toBe("Zoë");
  });
});
