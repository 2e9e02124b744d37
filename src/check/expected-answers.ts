import type { TweetFacts } from "./tweet-facts.js";

/**
 * The answers of the ten checker queries (sql/NN_name.sql), computed in
 * JavaScript from tweet facts, as the rows psql prints unaligned
 * (`-A -t -F '|'`: fields joined by '|', NULL as an empty field).
 * Each function mirrors one query; keep them in step with sql/.
 */
export type Answers = Record<string, string[]>;

const CORONAVIRUS = "#coronavirus";
/** lower() = '#coronavirus': only ASCII letters can lower-case to these, so JS agrees with PostgreSQL. */
const isCoronavirus = (tag: string): boolean => tag.toLowerCase() === CORONAVIRUS;

/** Byte order of UTF-8 text, which is what COLLATE "C" sorts by. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** NULLs last, as ORDER BY … ASC puts them. */
const compareNullable = (a: string | null, b: string | null): number =>
  a === null ? (b === null ? 0 : 1) : b === null ? -1 : compareBytes(a, b);

const field = (v: string | number | null): string => (v === null ? "" : String(v));

/** Length of text in characters (code points), as PostgreSQL's length() counts in UTF-8. */
export const charLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * Keeps the first facts seen for each tweet id. Duplicate lines carry the same
 * facts; the queries count DISTINCT, so any database holding each tweet once
 * or more answers alike.
 */
export function distinctTweets(all: Iterable<TweetFacts>): TweetFacts[] {
  const byId = new Map<string, TweetFacts>();
  for (const facts of all) if (!byId.has(facts.id)) byId.set(facts.id, facts);
  return [...byId.values()];
}

/** Every query's expected rows, keyed by the query's file name without `.sql`. */
export function expectedAnswers(all: Iterable<TweetFacts>): Answers {
  const tweets = distinctTweets(all);
  const corona = tweets.filter((t) => t.tags.some(isCoronavirus));
  const distinctCount = (pick: (t: TweetFacts) => string[]) =>
    tweets.reduce((n, t) => n + new Set(pick(t)).size, 0);

  const together = new Map<string, number>();
  for (const t of corona) {
    for (const tag of new Set(t.tags)) {
      if (!isCoronavirus(tag)) together.set(tag, (together.get(tag) ?? 0) + 1);
    }
  }
  const totals = new Map<string, number>();
  for (const t of tweets)
    for (const tag of new Set(t.tags)) totals.set(tag, (totals.get(tag) ?? 0) + 1);

  const cotags = [...together].sort(([ta, a], [tb, b]) => b - a || compareBytes(ta, tb));
  const cotagTotals = [...together]
    .map(([tag, n]) => [tag, n, totals.get(tag) ?? 0] as const)
    .sort(([ta, a, xa], [tb, b, xb]) => b - a || xb - xa || compareBytes(ta, tb));

  const countries = new Map<string | null, number>();
  for (const t of corona) countries.set(t.countryCode, (countries.get(t.countryCode) ?? 0) + 1);
  const countryRows = [...countries].sort(([ca, a], [cb, b]) => b - a || compareNullable(ca, cb));

  const english = corona
    .filter((t) => t.lang === "en")
    .map((t) => [BigInt(t.id), t.text === null ? null : charLength(t.text)] as const)
    .sort(([a, la], [b, lb]) => (a < b ? -1 : a > b ? 1 : (la ?? Infinity) - (lb ?? Infinity)));

  const days = new Map<string | null, number>();
  for (const t of corona) days.set(t.day, (days.get(t.day) ?? 0) + 1);
  const dayRows = [...days].sort(([da], [db]) => compareNullable(da, db));

  const authors = coronavirusAuthors(tweets, corona);

  return {
    "01_tweets": [String(tweets.length)],
    "02_mentions": [String(distinctCount((t) => t.mentionedUserIds))],
    "03_tags": [String(distinctCount((t) => t.tags))],
    "04_media": [String(distinctCount((t) => t.mediaUrls))],
    "05_coronavirus_cotags": cotags.map(([tag, n]) => `${tag}|${n}`),
    "06_coronavirus_cotags_totals": cotagTotals.map(([tag, n, total]) => `${tag}|${n}|${total}`),
    "07_coronavirus_countries": countryRows.map(([cc, n]) => `${field(cc)}|${n}`),
    "08_coronavirus_english_lengths": english.map(([id, len]) => `${id}|${field(len)}`),
    "09_coronavirus_days": dayRows.map(([day, n]) => `${field(day)}|${n}`),
    "10_coronavirus_authors": authors.map(
      (a) => `${a.id}|${field(a.screenName)}|${field(a.statusesCount)}|${a.tweets}`,
    ),
  };
}

/** Whether tweet `a` is later than `b` by the snapshot rule: created_at (missing: earliest), then id. */
const isLater = (a: TweetFacts, b: TweetFacts): boolean => {
  const ta = a.createdMs ?? Number.NEGATIVE_INFINITY;
  const tb = b.createdMs ?? Number.NEGATIVE_INFINITY;
  return ta !== tb ? ta > tb : BigInt(a.id) > BigInt(b.id);
};

/**
 * Query 10: the twenty authors of #coronavirus tweets with the most statuses. An author's
 * user row is hydrated, so it holds the author object of the user's latest tweet (any
 * tweet, not only #coronavirus ones); mentions and reply targets never outrank it.
 */
function coronavirusAuthors(tweets: readonly TweetFacts[], corona: readonly TweetFacts[]) {
  const latest = new Map<string, TweetFacts>();
  for (const t of tweets) {
    const held = latest.get(t.author.id);
    if (!held || isLater(t, held)) latest.set(t.author.id, t);
  }
  const counts = new Map<string, number>();
  for (const t of corona) counts.set(t.author.id, (counts.get(t.author.id) ?? 0) + 1);
  return [...counts]
    .map(([id, n]) => {
      const { screenName, statusesCount } = (latest.get(id) as TweetFacts).author;
      return { id, screenName, statusesCount, tweets: n };
    })
    .sort(
      (a, b) =>
        (b.statusesCount ?? Number.NEGATIVE_INFINITY) -
          (a.statusesCount ?? Number.NEGATIVE_INFINITY) || (BigInt(a.id) < BigInt(b.id) ? -1 : 1),
    )
    .slice(0, 20);
}
