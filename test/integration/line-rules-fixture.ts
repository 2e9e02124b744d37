/**
 * Lines for the line rules (docs/line-rules.md): good tweets of both APIs, and for each rule
 * a line that breaks it once, with the reject reason every loader must give. JSON that
 * JSON.stringify cannot write (1e400, 5.0, keys holding \u0000) goes in through raw().
 */

type Json = Record<string, unknown>;

const BASE = 1346000000000000000n;
const idOf = (n: number) => (BASE + BigInt(n)).toString();

const raws: string[] = [];
/** A value written into the line as this JSON text, exactly. */
export const raw = (text: string): string => {
  raws.push(text);
  return `@@raw${raws.length - 1}@@`;
};
const write = (value: unknown): string =>
  JSON.stringify(value).replace(/"@@raw(\d+)@@"/g, (_, i: string) => raws[Number(i)] as string);

const merge = (base: Json, over: Json): Json => {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const held = out[key];
    const bothObjects =
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      typeof held === "object" &&
      held !== null &&
      !Array.isArray(held);
    out[key] = bothObjects ? merge(held as Json, value as Json) : value;
  }
  return out;
};

/** A v1.1 tweet number n, with `over` merged in (objects deeply). */
export function v1(n: number, over: Json = {}): string {
  const id = idOf(n);
  const tweet: Json = {
    created_at: `Fri Jan 01 12:${String(n % 60).padStart(2, "0")}:00 +0000 2021`,
    id: raw(id),
    id_str: id,
    text: `tweet ${n} #coronavirus #t${n % 4} @m${n % 3} about the news of the day`,
    source: "web",
    lang: n % 2 ? "en" : "es",
    retweet_count: n,
    favorite_count: n * 2,
    quote_count: 1,
    withheld_copyright: false,
    withheld_in_countries: ["DE"],
    user: {
      id: 1000 + (n % 7),
      id_str: String(1000 + (n % 7)),
      screen_name: `u${n % 7}`,
      name: `User ${n % 7}`,
      created_at: "Mon Mar 02 10:00:00 +0000 2015",
      statuses_count: 100 + n,
      friends_count: 3,
      listed_count: 4,
      favourites_count: 5,
      protected: false,
      verified: n % 2 === 0,
    },
    place: {
      full_name: "Austin, TX",
      country_code: "US",
      bounding_box: {
        type: "Polygon",
        coordinates: [
          [
            [-97.9, 30.1],
            [-97.9, 30.5],
            [-97.5, 30.5],
            [-97.5, 30.1],
          ],
        ],
      },
    },
    coordinates: n % 3 ? null : { type: "Point", coordinates: [-97.7, 30.3] },
    entities: {
      hashtags: [{ text: "coronavirus" }, { text: `t${n % 4}` }],
      symbols: [],
      urls: [{ expanded_url: `https://example.org/${n % 5}` }],
      user_mentions: [
        { id: 2000 + (n % 3), id_str: String(2000 + (n % 3)), screen_name: `m${n % 3}`, name: "M" },
      ],
    },
    extended_entities: { media: [{ media_url: `http://pbs.example/${n}.jpg`, type: "photo" }] },
  };
  return write(merge(tweet, over));
}

/** A flattened v2 tweet number n (its author inlined), with `over` merged in. */
export function v2(n: number, over: Json = {}): string {
  const tweet: Json = {
    id: idOf(n),
    author_id: String(1000 + (n % 7)),
    created_at: `2021-01-02T10:${String(n % 60).padStart(2, "0")}:00.000Z`,
    text: `v2 tweet ${n} #coronavirus #v${n % 3} with room for its entities`,
    lang: "en",
    source: "Twitter for iPhone",
    public_metrics: { retweet_count: n, like_count: 2, quote_count: 3 },
    entities: {
      hashtags: [{ tag: "coronavirus" }, { tag: `v${n % 3}` }],
      mentions: [{ id: "2001", username: "m1" }],
    },
    author: {
      id: String(1000 + (n % 7)),
      username: `u${n % 7}`,
      created_at: "2015-03-02T10:00:00.000Z",
      public_metrics: { following_count: 1, listed_count: 2, tweet_count: 300 + n },
    },
    geo: { full_name: "Paris, France", country_code: "FR", geo: { bbox: [2.2, 48.8, 2.4, 48.9] } },
  };
  return write(merge(tweet, over));
}

/** A v2 page of the given tweets (JSON objects), its author in includes. */
export const page = (tweets: string[]): string =>
  `{"data":[${tweets.join(",")}],"includes":{"users":[{"id":"1000","username":"u0","name":"U"}]}}`;

export interface RuleCase {
  name: string;
  line: string;
  /** The reason every loader gives (a page's bad tweet: after `data[0] of the v2 page: `). */
  reason: string;
}

const COUNT = "is not a whole number from -2147483648 to 2147483647 (a count is an INTEGER)";
const V1_DATE = "is not a real date in v1.1's form (Fri Jan 01 12:00:00 +0000 2021)";
const V2_DATE = "is not a real date in v2's form (2021-01-01T12:00:00.000Z)";
const POSITION = "is not a position [longitude −180…180, latitude −90…90]";

/** One line per rule broken, numbered from 900 so that they do not clash with good tweets. */
export const RULE_CASES: RuleCase[] = [
  {
    name: "a count past INTEGER",
    line: v1(900, { retweet_count: 3000000000 }),
    reason: `retweet_count 3000000000 ${COUNT}`,
  },
  {
    name: "a count below INTEGER",
    line: v1(901, { user: { listed_count: -2147483649 } }),
    reason: `user.listed_count -2147483649 ${COUNT}`,
  },
  {
    name: "a fractional count",
    line: v1(902, { favorite_count: 2.5 }),
    reason: `favorite_count 2.5 ${COUNT}`,
  },
  {
    name: "a fractional user count",
    line: v1(903, { user: { statuses_count: 2.5 } }),
    reason: `user.statuses_count 2.5 ${COUNT}`,
  },
  {
    name: "a count beyond a double (1e400)",
    line: v1(904, { user: { friends_count: raw("1e400") } }),
    reason: `user.friends_count a number beyond a double's range ${COUNT}`,
  },
  {
    name: "a count given as a string",
    line: v1(905, { quote_count: "7" }),
    reason: `quote_count "7" ${COUNT}`,
  },
  {
    name: "a count given as a boolean",
    line: v1(906, { user: { favourites_count: true } }),
    reason: `user.favourites_count true ${COUNT}`,
  },
  {
    name: "a v2 count past INTEGER",
    line: v2(907, { public_metrics: { like_count: 2147483648 } }),
    reason: `public_metrics.like_count 2147483648 ${COUNT}`,
  },
  {
    name: "a v2 author count as a string",
    line: v2(908, { author: { public_metrics: { tweet_count: "12" } } }),
    reason: `author.public_metrics.tweet_count "12" ${COUNT}`,
  },
  {
    name: "v2's date form in a v1.1 tweet",
    line: v1(910, { created_at: "2021-01-01T12:00:00Z" }),
    reason: `created_at "2021-01-01T12:00:00Z" ${V1_DATE}`,
  },
  {
    name: "a date as seconds since 1970",
    line: v1(911, { created_at: 1609502400 }),
    reason: `created_at 1609502400 ${V1_DATE}`,
  },
  {
    name: "an HTTP date",
    line: v1(912, { created_at: "Fri, 01 Jan 2021 12:00:00 GMT" }),
    reason: `created_at "Fri, 01 Jan 2021 12:00:00 GMT" ${V1_DATE}`,
  },
  {
    name: "a date that is garbage",
    line: v1(913, { created_at: "garbage" }),
    reason: `created_at "garbage" ${V1_DATE}`,
  },
  {
    name: "a two-digit year",
    line: v1(914, { created_at: "Fri Jan 01 12:00:00 +0000 21" }),
    reason: `created_at "Fri Jan 01 12:00:00 +0000 21" ${V1_DATE}`,
  },
  {
    name: "February 30",
    line: v1(915, { created_at: "Fri Feb 30 12:00:00 +0000 2021" }),
    reason: `created_at "Fri Feb 30 12:00:00 +0000 2021" ${V1_DATE}`,
  },
  {
    name: "a user's impossible date",
    line: v1(916, { user: { created_at: "Mon Feb 29 10:00:00 +0000 2015" } }),
    reason: `user.created_at "Mon Feb 29 10:00:00 +0000 2015" ${V1_DATE}`,
  },
  {
    name: "v1.1's date form in a v2 tweet",
    line: v2(917, { created_at: "Fri Jan 01 12:00:00 +0000 2021" }),
    reason: `created_at "Fri Jan 01 12:00:00 +0000 2021" ${V2_DATE}`,
  },
  {
    name: "a v2 author's impossible date",
    line: v2(918, { author: { created_at: "2015-02-29T10:00:00.000Z" } }),
    reason: `author.created_at "2015-02-29T10:00:00.000Z" ${V2_DATE}`,
  },
  {
    name: "a boolean given as a string",
    line: v1(920, { user: { verified: "true" } }),
    reason: 'user.verified "true" is not true or false',
  },
  {
    name: "a boolean given as a number",
    line: v1(921, { withheld_copyright: 1 }),
    reason: "withheld_copyright 1 is not true or false",
  },
  {
    name: "a longitude past 180",
    line: v1(922, { coordinates: { type: "Point", coordinates: [200, 10] } }),
    reason: `coordinates.coordinates [200,10] ${POSITION}`,
  },
  {
    name: "a latitude past 90",
    line: v1(923, { coordinates: { type: "Point", coordinates: [10, -91] } }),
    reason: `coordinates.coordinates [10,-91] ${POSITION}`,
  },
  {
    name: "coordinates given as strings",
    line: v1(924, { coordinates: { type: "Point", coordinates: ["10", "20"] } }),
    reason: `coordinates.coordinates ["10","20"] ${POSITION}`,
  },
  {
    name: "a box corner out of range",
    line: v1(925, {
      place: {
        bounding_box: {
          coordinates: [
            [
              [-181, 0],
              [0, 0],
              [0, 1],
            ],
          ],
        },
      },
    }),
    reason: `place.bounding_box.coordinates[0][0] [-181,0] ${POSITION}`,
  },
  {
    name: "a v2 box of three numbers",
    line: v2(926, { geo: { geo: { bbox: [0, 0, 0] } } }),
    reason: "geo.geo.bbox [0,0,0] is not a box [west, south, east, north]",
  },
  {
    name: "an id with a fraction",
    line: v1(930, { id: raw("6.5"), id_str: null }),
    reason: "id 6.5 is not a whole number",
  },
  {
    name: "an id above 2^53 not written as digits",
    line: v1(931, { id: raw("1.5e18"), id_str: null }),
    reason:
      "id is a number above 2^53 not written as plain digits (it reads as 1500000000000000000), so it cannot be read exactly",
  },
  {
    name: "a reply id that is not digits",
    line: v1(932, { in_reply_to_status_id: "abc" }),
    reason: 'in_reply_to_status_id "abc" is not an id: a whole number or a string of digits',
  },
  {
    name: "a twin that is not digits",
    line: v1(933, { user: { id_str: "12a" } }),
    reason: 'user.id_str "12a" is not a string of digits (an id\'s _str twin)',
  },
  {
    name: "a mention id with a fraction",
    line: v1(934, { entities: { user_mentions: [{ id: 1.5 }] } }),
    reason: "entities.user_mentions[0].id 1.5 is not a whole number",
  },
  {
    name: "a referenced tweet's type that is a list",
    line: v2(935, { referenced_tweets: [{ type: ["replied_to"], id: "89" }] }),
    reason: 'referenced_tweets[0].type ["replied_to"] is not a string',
  },
  {
    name: "a language that is a number",
    line: v1(940, { lang: 5 }),
    reason: "lang 5 is not a string",
  },
  {
    name: "a text that is an object",
    line: v1(941, { text: { a: 1 } }),
    reason: 'text {"a":1} is not a string',
  },
  {
    name: "a hashtag whose text is a number",
    line: v1(942, { entities: { hashtags: [{ text: 5 }] } }),
    reason: "entities.hashtags[0].text 5 is not a string",
  },
  {
    name: "a country code of three letters",
    line: v1(943, { place: { country_code: "USA" } }),
    reason: 'place.country_code "USA" is not a country code of two letters',
  },
  {
    name: "a withheld country of three letters",
    line: v1(944, { withheld_in_countries: ["DEU"] }),
    reason: 'withheld_in_countries[0] "DEU" is not a country code of two characters at most',
  },
  {
    name: "a withheld country that is a number",
    line: v1(945, { user: { withheld_in_countries: ["DE", 5] } }),
    reason: "user.withheld_in_countries[1] 5 is not a string",
  },
  {
    name: "entities that are a string",
    line: v1(946, { entities: "x" }),
    reason: 'entities "x" is not an object',
  },
  {
    name: "a place that is a list",
    line: v1(947, { place: [] }),
    reason: "place [] is not an object",
  },
  {
    name: "a key holding \\u0000 (text)",
    line: v1(950, { "te\u0000xt": "other" }),
    reason:
      'the key "te\\u0000xt" holds the escape \\u0000, which tweetload removes: it would become another key',
  },
  {
    name: "a key holding \\u0000 (id_str)",
    line: v1(954, { "id\u0000_str": "9" }),
    reason:
      'the key "id\\u0000_str" holds the escape \\u0000, which tweetload removes: it would become another key',
  },
  {
    name: "a number jsonb cannot hold (1e-20000)",
    line: v1(951, { extra: raw("1e-20000") }),
    reason:
      "the number 1e-20000 has more than 6000 digits or an exponent past ±9999, which PostgreSQL's jsonb cannot always hold",
  },
  {
    name: "a v2 tweet of a page holding a user object",
    line: page([v2(952, { user: { id: 1 } })]),
    reason:
      'data[0] of the v2 page: a v2 tweet holds a "user" object, which marks a v1.1 tweet: it would be read as one',
  },
  {
    name: "a v2 tweet of a page with a count past INTEGER",
    line: page([v2(953, { public_metrics: { retweet_count: 1e10 } })]),
    reason: `data[0] of the v2 page: public_metrics.retweet_count 10000000000 ${COUNT}`,
  },
];

/**
 * Lines every loader takes, each of which some reading could take otherwise: the tests
 * compare their rows across the three databases. Tweet ids: 5 (written 5.0), and 960-979.
 */
export const READ_ALIKE: string[] = [
  v1(960, {
    id: raw("5.0"),
    id_str: null,
    retweet_count: raw("5.0"),
    user: { statuses_count: raw("7.000") },
  }),
  v1(961, { id_str: `${idOf(961).slice(0, 10)}\u0000${idOf(961).slice(10)}` }),
  v1(962, { retweet_count: null, public_metrics: { retweet_count: 99 }, quote_count: null }),
  v1(963, { note_tweet: { text: "not this text", entities: { hashtags: [{ tag: "stray" }] } } }),
  v1(964, {
    coordinates: null,
    place: null,
    geo: { type: "Point", coordinates: { coordinates: [1, 2] } },
  }),
  v1(965, {
    extended_entities: {
      media: [{ media_key: "3_1", url: "https://not.media/1.jpg", type: "photo" }],
    },
  }),
  v1(966, {
    entities: {
      urls: [{ expanded_url: "https://example.org/linked", media_key: "3_2" }],
      hashtags: [{ tag: "stray" }, { text: "kept" }],
    },
  }),
  v1(967, { place: { full_name: "Austin, T\u0130", country_code: "us" } }),
  v1(968, {
    in_reply_to_status_id: null,
    referenced_tweets: [{ type: "replied_to", id: "77" }],
    in_reply_to_screen_name: null,
    in_reply_to_user: { username: "stray" },
  }),
  v2(970, {
    retweet_count: 99,
    favorite_count: 98,
    place: { country_code: "XX", full_name: "Stray" },
    extended_tweet: { full_text: "stray", entities: { hashtags: [{ text: "stray" }] } },
  }),
  v2(971, {
    referenced_tweets: [
      { type: "quoted" },
      { type: "quoted", id: "88" },
      { type: "replied_to", id: "89" },
    ],
  }),
  v2(972, {
    attachments: {
      media: [
        { url: "https://pbs.example/v2.jpg", type: "photo" },
        {
          media_url: "http://stray/1.jpg",
          preview_image_url: "https://pbs.example/p.jpg",
          type: "video",
        },
      ],
    },
  }),
  page([
    v2(973),
    v2(974, { user: "not an object" }),
    v2(975, { in_reply_to_user_id: "2001", in_reply_to_user: { username: "m1" } }),
  ]),
];
