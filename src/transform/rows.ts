import type { TweetRow } from "./tweet-table.js";

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

export type { TweetRow } from "./tweet-table.js";

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
