/** A user row as the normalized schemas hold it; unhydrated users carry only id and names. */
export interface UserRow {
  /** 64-bit id as decimal digits, exactly as written in the JSON text. */
  id: string;
  createdAt: string | null;
  /** The created_at of the tweet this row came from. */
  updatedAt: string | null;
  url: string | null;
  friendsCount: number | null;
  listedCount: number | null;
  favouritesCount: number | null;
  statusesCount: number | null;
  protected: boolean | null;
  verified: boolean | null;
  screenName: string | null;
  name: string | null;
  location: string | null;
  description: string | null;
  withheldInCountries: string[] | null;
}

/** A tweets row; geo is WKT without an SRID prefix (the loader adds it in PostGIS mode). */
export interface TweetRow {
  id: string;
  userId: string;
  createdAt: string | null;
  inReplyToStatusId: string | null;
  inReplyToUserId: string | null;
  quotedStatusId: string | null;
  retweetCount: number | null;
  favoriteCount: number | null;
  quoteCount: number | null;
  withheldCopyright: boolean | null;
  withheldInCountries: string[] | null;
  source: string | null;
  text: string | null;
  countryCode: string | null;
  stateCode: string | null;
  lang: string | null;
  placeName: string | null;
  geo: string | null;
}

export interface MediaRow {
  url: string;
  type: string | null;
}

/**
 * Everything one tweet contributes. `users` starts with the hydrated author, followed by
 * the unhydrated reply target and mentioned users, in input order (first row wins).
 * urls, mentions, tags and media are de-duplicated within the tweet (they are keys).
 */
export interface TweetRows {
  tweet: TweetRow;
  users: UserRow[];
  urls: string[];
  mentions: string[];
  tags: string[];
  media: MediaRow[];
}
