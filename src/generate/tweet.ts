import { ERA_2012_TEXT_LIMIT, type Era, toEra2012 } from "./era.js";
import { snowflake, twitterDate } from "./ids.js";
import { AsciiEscaped, fixed, type JsonValue } from "./json-text.js";
import { mediaEntities } from "./media-entities.js";
import { placeObject } from "./places.js";
import type { Rng } from "./prng.js";
import { cpLength, cpSlice, entitiesBefore, type LaidOut, layOut, type Piece } from "./text.js";
import type { AccountPool } from "./users.js";
import { CASHTAGS, EMOJI, HASHTAGS, LANGUAGES, LINK_DOMAINS, SOURCES } from "./vocabulary.js";

/** Planted cases that every file carries at fixed lines, so each archive exercises them. */
export type Special = "nul" | "visible-nul" | "escaped";

export interface TweetInput {
  rng: Rng;
  pool: AccountPool;
  /** created_at in ms since the epoch. */
  ms: number;
  id: bigint;
  special?: Special;
  /** The shape (era.ts); default 2021. */
  era?: Era;
}

export interface GeneratedTweet {
  value: JsonValue;
  /** Write every string of this tweet with \uXXXX escapes for non-ASCII. */
  ascii: boolean;
}

const LANG_TABLE = LANGUAGES.map(
  ([code, weight, words]) => [[code, words] as const, weight] as const,
);
const SHORT_LIMIT = 140;

function urlPiece(rng: Rng): Piece {
  const [host, path] = rng.pick(LINK_DOMAINS);
  // A small set of popular links recurs, the rest are unique.
  const slug = rng.chance(0.3) ? `popular-${rng.int(1, 40)}` : rng.chars(rng.int(8, 30));
  const expanded = `https://${host}${path}${slug}`;
  const display = `${host.replace(/^www\./, "")}${path}${slug}`;
  return {
    kind: "url",
    text: `https://t.co/${rng.chars(10)}`,
    expanded,
    display: display.length > 26 ? `${display.slice(0, 25)}…` : display,
  };
}

function hashtagPiece(tag: string): Piece {
  return { kind: "hashtag", text: `#${tag}`, tag };
}

interface Body {
  pieces: Piece[];
  lang: string;
}

/** Words of one language with hashtags, mentions, cashtags, links and emoji among them. */
function body(
  rng: Rng,
  pool: AccountPool,
  replyTo: Piece | undefined,
  special?: Special,
  short = false,
): Body {
  let [lang, words] = rng.weighted(LANG_TABLE);
  if (special) [lang, words] = ["en", (LANGUAGES[0] as (typeof LANGUAGES)[number])[2]];
  const long = !short && (rng.chance(0.4) || special === "visible-nul");
  const target = long ? rng.int(150, 275) : rng.int(15, 125);

  const extras: Piece[] = [];
  const tagCount = special
    ? 1
    : rng.weighted([
        [0, 48],
        [1, 22],
        [2, 12],
        [3, 8],
        [4, 6],
        [6, 4],
      ] as const);
  for (let i = 0; i < tagCount; i++)
    extras.push(hashtagPiece(HASHTAGS[rng.zipf(HASHTAGS.length, 1.05)] as string));
  if (tagCount > 0 && rng.chance(0.02)) extras.push({ ...(extras[0] as Piece) }); // same tag twice
  if (special === "nul") extras.push(hashtagPiece("coronavirus"));
  if (special === "visible-nul") extras.push(hashtagPiece("CoronaVirus"));
  if (special === "escaped") extras.push(hashtagPiece("COVID19"), hashtagPiece("coronavirus"));
  if (rng.chance(0.03)) {
    for (let i = rng.int(1, 2); i > 0; i--) {
      const tag = rng.pick(CASHTAGS);
      extras.push({ kind: "symbol", text: `$${tag}`, tag });
    }
  }
  if (rng.chance(0.3)) {
    for (let i = rng.int(1, 3); i > 0; i--) {
      extras.push({ kind: "mention", text: "", account: pool.account(pool.pickIndex(rng)) });
    }
  }
  if (rng.chance(0.2)) extras.push(urlPiece(rng));
  if (rng.chance(0.04)) extras.push(urlPiece(rng));
  if (rng.chance(0.35) || special === "escaped") {
    for (let i = rng.int(1, 3); i > 0; i--) extras.push({ kind: "word", text: rng.pick(EMOJI) });
  }
  for (const piece of extras)
    if (piece.kind === "mention") piece.text = `@${piece.account.screenName}`;

  const pieces: Piece[] = [];
  let length = extras.reduce((n, p) => n + cpLength(p.text) + 1, 0);
  while (length < target) {
    const word = rng.pick(words);
    pieces.push({ kind: "word", text: word });
    length += cpLength(word) + 1;
  }
  if (special === "nul") pieces.splice(1, 0, { kind: "word", text: "null\u0000byte" });
  if (special === "visible-nul") pieces.splice(1, 0, { kind: "word", text: "C:\\u0000\\path" });
  if (rng.chance(0.002)) pieces.push({ kind: "word", text: "\u0000" });
  // Hashtags cluster at the end half the time, as people write them.
  const atEnd = rng.chance(0.5);
  for (const piece of extras) {
    if (atEnd && piece.kind === "hashtag") pieces.push(piece);
    else pieces.splice(rng.int(0, pieces.length), 0, piece);
  }
  if (replyTo) pieces.unshift(replyTo);
  return { pieces, lang };
}

function counts(rng: Rng): {
  retweet_count: number;
  favorite_count: number;
  quote_count: number;
  reply_count: number;
} {
  if (rng.chance(0.7))
    return { quote_count: 0, reply_count: 0, retweet_count: 0, favorite_count: 0 };
  const big = rng.chance(0.01) ? 40_000 : 1;
  return {
    quote_count: Math.floor(rng.float() ** 3 * 50 * big),
    reply_count: Math.floor(rng.float() ** 3 * 80 * big),
    retweet_count: Math.floor(rng.float() ** 3 * 300 * big),
    favorite_count: Math.floor(rng.float() ** 2 * 900 * big),
  };
}

/** The tweet another tweet quotes: complete with its own user and entities, but no place. */
function quotedStatus(
  rng: Rng,
  pool: AccountPool,
  ms: number,
): { id: bigint; value: JsonValue; author: string } {
  const qms = ms - rng.int(60_000, 3 * 86_400_000);
  const id = snowflake(qms, rng.bits(22));
  const index = pool.pickIndex(rng);
  const account = pool.account(index);
  const { pieces, lang } = body(rng, pool, undefined);
  const laid = layOut(pieces.slice(0, 14));
  const text = cpSlice(laid.text, SHORT_LIMIT);
  const entities = entitiesBefore(laid, cpLength(text));
  return {
    id,
    author: account.screenName,
    value: {
      created_at: twitterDate(qms),
      id,
      id_str: id.toString(),
      text,
      source: rng.weighted(SOURCES),
      truncated: false,
      in_reply_to_status_id: null,
      in_reply_to_status_id_str: null,
      in_reply_to_user_id: null,
      in_reply_to_user_id_str: null,
      in_reply_to_screen_name: null,
      user: pool.userObject(index, qms),
      geo: null,
      coordinates: null,
      place: null,
      contributors: null,
      is_quote_status: false,
      ...counts(rng),
      entities,
      favorited: false,
      retweeted: false,
      filter_level: "low",
      lang,
    },
  };
}

/** One complete Twitter API v1.1 tweet object as the streaming API delivered it. */
export function makeTweet({ rng, pool, ms, id, special, era }: TweetInput): GeneratedTweet {
  const era2012 = era === "2012";
  const authorIndex = pool.pickIndex(rng);
  const author = pool.account(authorIndex);
  const user = pool.userObject(authorIndex, ms);

  const isReply = !special && rng.chance(0.25);
  const replyAccount = isReply
    ? rng.chance(0.05)
      ? author
      : pool.account(pool.pickIndex(rng))
    : undefined;
  const replyPiece: Piece | undefined = replyAccount
    ? { kind: "mention", text: `@${replyAccount.screenName}`, account: replyAccount }
    : undefined;
  const { pieces, lang } = body(rng, pool, replyPiece, special, era2012);

  const hasMedia = rng.chance(0.15);
  // A 2012 tweet was written within 140 characters, its media link included.
  const room = ERA_2012_TEXT_LIMIT - (hasMedia ? 24 : 0);
  while (era2012 && pieces.length > 1 && cpLength(layOut(pieces).text) > room) pieces.pop();
  const fullLaid: LaidOut = layOut(pieces);
  const media = hasMedia
    ? mediaEntities(rng, ms, id, author.screenName, fullLaid.length + 1)
    : undefined;
  const mediaUrl = media ? ((media[0] as { url: string }).url as string) : undefined;
  const fullText = mediaUrl ? `${fullLaid.text} ${mediaUrl}` : fullLaid.text;
  const displayStart = replyPiece ? cpLength(replyPiece.text) + 1 : 0;
  const truncated = cpLength(fullText) > SHORT_LIMIT;

  let text: string;
  let entities: JsonValue;
  let extendedEntities: JsonValue | undefined;
  let extendedTweet: JsonValue | undefined;
  let displayTextRange: number[];
  if (truncated) {
    // Cut at a piece boundary so the text plus "… https://t.co/…" stays within 140.
    let cut = 0;
    for (const end of fullLaid.ends) if (end <= 113) cut = end;
    const selfLink = `https://t.co/${rng.chars(10)}`;
    text = `${cpSlice(fullLaid.text, cut)}… ${selfLink}`;
    const kept = entitiesBefore(fullLaid, cut);
    kept.urls.push({
      url: selfLink,
      expanded_url: `https://twitter.com/i/web/status/${id}`,
      display_url: `twitter.com/i/web/status/${id.toString().slice(0, 7)}…`,
      indices: [cut + 2, cut + 25],
    });
    entities = kept;
    displayTextRange = [displayStart, cut + 1];
    extendedTweet = {
      full_text: fullText,
      display_text_range: [displayStart, fullLaid.length],
      entities: media
        ? { ...fullLaid.entities, media: [media[0] as JsonValue] }
        : fullLaid.entities,
      extended_entities: media ? { media } : undefined,
    };
  } else {
    text = fullText;
    entities = media ? { ...fullLaid.entities, media: [media[0] as JsonValue] } : fullLaid.entities;
    extendedEntities = media ? { media } : undefined;
    displayTextRange = [displayStart, fullLaid.length];
  }

  const { place, point } = placeObject(rng);
  const hasPoint = rng.chance(0.2);
  const lon = fixed(point[0], 8);
  const lat = fixed(point[1], 8);

  const quote = !special && rng.chance(0.1) ? quotedStatus(rng, pool, ms) : undefined;
  const replyStatus = replyAccount
    ? snowflake(ms - rng.int(5_000, 2 * 86_400_000), rng.bits(22))
    : null;
  const withheldCountries = rng.chance(0.004)
    ? rng.pick([["DE"], ["FR", "DE"], ["IN"], ["TR", "RU"]])
    : undefined;
  const withheldCopyright = rng.chance(0.002);

  const escapeText = special === "escaped" || rng.chance(0.1);
  const ascii = special !== "escaped" && rng.chance(0.06);
  const value: JsonValue = {
    created_at: twitterDate(ms),
    id,
    id_str: id.toString(),
    text: escapeText ? new AsciiEscaped(text) : text,
    display_text_range: displayTextRange,
    source: rng.weighted(SOURCES),
    truncated,
    in_reply_to_status_id: replyStatus,
    in_reply_to_status_id_str: replyStatus === null ? null : replyStatus.toString(),
    in_reply_to_user_id: replyAccount ? replyAccount.id : null,
    in_reply_to_user_id_str: replyAccount ? replyAccount.id.toString() : null,
    in_reply_to_screen_name: replyAccount ? replyAccount.screenName : null,
    user,
    geo: hasPoint ? { type: "Point", coordinates: [lat, lon] } : null,
    coordinates: hasPoint ? { type: "Point", coordinates: [lon, lat] } : null,
    place,
    contributors: null,
    quoted_status_id: quote?.id,
    quoted_status_id_str: quote?.id.toString(),
    quoted_status: quote?.value,
    quoted_status_permalink: quote
      ? {
          url: `https://t.co/${rng.chars(10)}`,
          expanded: `https://twitter.com/${quote.author}/status/${quote.id}`,
          display: `twitter.com/${quote.author}/s…`,
        }
      : undefined,
    is_quote_status: quote !== undefined,
    extended_tweet:
      extendedTweet && escapeText
        ? { ...(extendedTweet as Record<string, JsonValue>), full_text: new AsciiEscaped(fullText) }
        : extendedTweet,
    ...counts(rng),
    entities,
    extended_entities: extendedEntities,
    favorited: false,
    retweeted: false,
    possibly_sensitive: media || rng.chance(0.1) ? rng.chance(0.05) : undefined,
    filter_level: "low",
    lang,
    withheld_copyright: withheldCopyright ? true : undefined,
    withheld_in_countries: withheldCopyright ? ["XX"] : withheldCountries,
    withheld_scope: withheldCopyright || withheldCountries ? "status" : undefined,
    timestamp_ms: String(ms),
  };
  if (era2012) toEra2012(value as Record<string, JsonValue | undefined>, rng);
  return { value, ascii };
}
