/** A minimal tweet object for tests; `over` replaces or adds top-level fields. */
export function tweet(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    created_at: "Fri Jan 01 12:34:56 +0000 2021",
    id: Number("1344795502917291104"), // rounded, as JSON.parse leaves it
    id_str: "1344795502917291104",
    text: "hello #World",
    source: '<a href="https://twitter.com">Web</a>',
    in_reply_to_status_id: null,
    in_reply_to_status_id_str: null,
    in_reply_to_user_id: null,
    in_reply_to_user_id_str: null,
    in_reply_to_screen_name: null,
    user: {
      id: Number("1162492126139802540"),
      id_str: "1162492126139802540",
      name: "Sofia",
      screen_name: "sofia",
      location: "Montréal",
      url: "https://example.com/sofia",
      description: "writer",
      protected: false,
      verified: true,
      friends_count: 1,
      listed_count: 2,
      favourites_count: 3,
      statuses_count: 4,
      created_at: "Fri Aug 16 22:31:35 +0000 2019",
    },
    coordinates: null,
    place: null,
    quote_count: 0,
    retweet_count: 5,
    favorite_count: 6,
    entities: { hashtags: [{ text: "World" }], urls: [], user_mentions: [], symbols: [] },
    lang: "en",
    ...over,
  };
}

export const json = (value: unknown): string => JSON.stringify(value);
