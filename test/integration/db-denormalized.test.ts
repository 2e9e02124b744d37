import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";

// Written as JSON text, never through JSON.parse: the ids above 2^53 must reach
// PostgreSQL digit for digit.
const EXTENDED_REPLY = `{"created_at":"Fri Jan 01 12:34:56 +0000 2021",
 "id":1345000000000000123,"id_str":"1345000000000000123","text":"short #old","source":"<a>web</a>",
 "in_reply_to_status_id":1344999999999999999,"in_reply_to_user_id":9007199254740993,
 "in_reply_to_screen_name":"bob","quoted_status_id":1111,"retweet_count":40000,"favorite_count":7,
 "quote_count":0,"withheld_copyright":true,"withheld_in_countries":["FR","DE"],"lang":"en",
 "user":{"id":9223372036854775807,"name":"Alice","screen_name":"alice","location":"NYC",
   "url":"http://a.example","description":"d","protected":false,"verified":true,"friends_count":2,
   "listed_count":3,"favourites_count":4,"statuses_count":5,
   "created_at":"Mon Jan 01 00:00:00 +0000 2018","withheld_in_countries":["DE"]},
 "coordinates":{"type":"Point","coordinates":[-73.9857,40.7484]},
 "place":{"full_name":"Manhattan, NY","country_code":"US","bounding_box":{"type":"Polygon",
   "coordinates":[[[-74.1,40.6],[-73.9,40.6],[-73.9,40.9],[-74.1,40.9]]]}},
 "entities":{"hashtags":[{"text":"old"}],"urls":[{"expanded_url":"https://old.example"}],
   "user_mentions":[],"symbols":[]},
 "extended_entities":{"media":[{"media_url":"http://pbs/old.jpg","type":"photo"}]},
 "extended_tweet":{"full_text":"long text #Coronavirus $TSLA @carol",
   "entities":{"hashtags":[{"text":"Coronavirus"}],"symbols":[{"text":"TSLA"}],
     "urls":[{"url":"https://t.co/1","expanded_url":"https://example.com/a"}],
     "user_mentions":[{"id":1345000000000000999,"screen_name":"carol","name":"Carol"}]},
   "extended_entities":{"media":[{"media_url":"http://pbs/1.jpg","type":"photo"}]}}}`;

// A plain tweet by the same user a day later: only a bounding box, a state
// name too long to be a code, media outside extended_tweet.
const PLAIN_LATER = `{"created_at":"Sat Jan 02 00:00:00 +0000 2021","id":5,"text":"hi #Coronavirus",
 "user":{"id":9223372036854775807,"name":"Alice later","screen_name":"alice2"},
 "place":{"full_name":"California, USA","country_code":"us","bounding_box":{"type":"Polygon",
   "coordinates":[[[1,2],[3,2],[3,4],[1,4]]]}},
 "entities":{"hashtags":[{"text":"Coronavirus"},{"text":"CA"}],"symbols":[],"urls":[],
   "user_mentions":[{"id":9223372036854775807,"screen_name":"alice","name":"Alice"}]},
 "extended_entities":{"media":[{"media_url":"http://pbs/2.mp4","type":"video"}]},
 "coordinates":null,"geo":null,"withheld_in_countries":null}`;

describe("pg_denormalized views", () => {
  let db: FreshDatabase;
  const rows = (sql: string) => withClient(db.url, async (c) => (await c.query(sql)).rows);

  beforeAll(async () => {
    db = await freshDatabase("denormalized");
    await withClient(db.url, async (c) => {
      for (const line of [EXTENDED_REPLY, PLAIN_LATER, PLAIN_LATER]) {
        await c.query("INSERT INTO tweets_jsonb (data) VALUES ($1::jsonb)", [line]);
      }
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("tweets: one row per line, ids exact, text and place rules applied", async () => {
    const geo = db.geoMode === "postgis" ? "ST_AsText(geo)" : "geo";
    const result = await rows(
      `SELECT id_tweets::text, id_users::text, created_at = '2021-01-01T12:34:56Z' AS created_ok,
              in_reply_to_status_id::text, in_reply_to_user_id::text, quoted_status_id::text,
              retweet_count, favorite_count, quote_count, withheld_copyright, withheld_in_countries,
              source, text, country_code, state_code, lang, place_name, ${geo} AS geo
         FROM tweets ORDER BY tweets.id_tweets DESC`,
    );
    expect(result).toHaveLength(3);
    expect(result[0]).toEqual({
      id_tweets: "1345000000000000123",
      id_users: "9223372036854775807",
      created_ok: true,
      in_reply_to_status_id: "1344999999999999999",
      in_reply_to_user_id: "9007199254740993",
      quoted_status_id: "1111",
      retweet_count: 40000,
      favorite_count: 7,
      quote_count: 0,
      withheld_copyright: true,
      withheld_in_countries: ["FR", "DE"],
      source: "<a>web</a>",
      text: "long text #Coronavirus $TSLA @carol",
      country_code: "us",
      state_code: "ny",
      lang: "en",
      place_name: "Manhattan, NY",
      geo: "POINT(-73.9857 40.7484)",
    });
    expect(result[1]).toMatchObject({
      id_tweets: "5",
      text: "hi #Coronavirus",
      country_code: "us",
      state_code: null,
      in_reply_to_user_id: null,
      withheld_in_countries: null,
      geo: "MULTIPOLYGON(((1 2,3 2,3 4,1 4,1 2)))",
    });
    if (db.geoMode === "postgis") {
      expect(await rows("SELECT DISTINCT ST_SRID(geo) AS srid FROM tweets")).toEqual([
        { srid: 4326 },
      ]);
    }
  });

  it("tweet_tags, tweet_urls, tweet_mentions, tweet_media follow extended_tweet", async () => {
    expect(
      await rows("SELECT DISTINCT id_tweets::text, tag FROM tweet_tags ORDER BY 1, 2"),
    ).toEqual([
      { id_tweets: "1345000000000000123", tag: "#Coronavirus" },
      { id_tweets: "1345000000000000123", tag: "$TSLA" },
      { id_tweets: "5", tag: "#CA" },
      { id_tweets: "5", tag: "#Coronavirus" },
    ]);
    expect(await rows("SELECT id_tweets::text, url FROM tweet_urls")).toEqual([
      { id_tweets: "1345000000000000123", url: "https://example.com/a" },
    ]);
    expect(
      await rows("SELECT DISTINCT id_tweets::text, id_users::text FROM tweet_mentions ORDER BY 1"),
    ).toEqual([
      { id_tweets: "1345000000000000123", id_users: "1345000000000000999" },
      { id_tweets: "5", id_users: "9223372036854775807" },
    ]);
    expect(
      await rows("SELECT DISTINCT id_tweets::text, url, type FROM tweet_media ORDER BY 1"),
    ).toEqual([
      { id_tweets: "1345000000000000123", url: "http://pbs/1.jpg", type: "photo" },
      { id_tweets: "5", url: "http://pbs/2.mp4", type: "video" },
    ]);
  });

  it("users: author, reply target and mentions, each user's latest hydrated snapshot kept", async () => {
    expect(
      await rows(
        `SELECT id_users::text, screen_name, name, url, friends_count, verified,
                withheld_in_countries, (updated_at AT TIME ZONE 'UTC')::text AS updated_at,
                snapshot_tweet_id::text, hydrated
           FROM users ORDER BY users.id_users`,
      ),
    ).toEqual([
      {
        id_users: "9007199254740993",
        screen_name: "bob",
        name: null,
        url: null,
        friends_count: null,
        verified: null,
        withheld_in_countries: null,
        updated_at: "2021-01-01 12:34:56",
        snapshot_tweet_id: "1345000000000000123",
        hydrated: false,
      },
      {
        id_users: "1345000000000000999",
        screen_name: "carol",
        name: "Carol",
        url: null,
        friends_count: null,
        verified: null,
        withheld_in_countries: null,
        updated_at: "2021-01-01 12:34:56",
        snapshot_tweet_id: "1345000000000000123",
        hydrated: false,
      },
      {
        // The later tweet's author object, not its mention of the same user in that tweet.
        id_users: "9223372036854775807",
        screen_name: "alice2",
        name: "Alice later",
        url: null,
        friends_count: null,
        verified: null,
        withheld_in_countries: null,
        updated_at: "2021-01-02 00:00:00",
        snapshot_tweet_id: "5",
        hydrated: true,
      },
    ]);
  });

  it("tweet_tags_total and tweet_tags_cooccurrence count distinct tweets", async () => {
    expect(
      await rows("SELECT row::int, tag, total::int FROM tweet_tags_total ORDER BY row"),
    ).toEqual([
      { row: 1, tag: "#Coronavirus", total: 2 },
      { row: 2, tag: "#CA", total: 1 },
      { row: 3, tag: "$TSLA", total: 1 },
    ]);
    expect(
      await rows(
        `SELECT tag1, tag2, total::int FROM tweet_tags_cooccurrence
          WHERE tag1 = '#Coronavirus' ORDER BY tag2`,
      ),
    ).toEqual([
      { tag1: "#Coronavirus", tag2: "#CA", total: 1 },
      { tag1: "#Coronavirus", tag2: "#Coronavirus", total: 2 },
      { tag1: "#Coronavirus", tag2: "$TSLA", total: 1 },
    ]);
  });
});
