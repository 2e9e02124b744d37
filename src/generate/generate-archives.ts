import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import yazl from "yazl";
import { ERA_DATES, type Era } from "./era.js";
import {
  type GenerateOptions,
  type GenerateSettings,
  generateSettings,
} from "./generate-options.js";
import { snowflake } from "./ids.js";
import { toJsonText } from "./json-text.js";
import { Rng } from "./prng.js";
import { type GeneratedDay, writeStreamGrab } from "./stream-grab.js";
import { type GeneratedTweet, makeTweet, type Special } from "./tweet.js";
import { AccountPool } from "./users.js";
import { type ArchiveFormat, flatTweetLine, PAGE_TWEETS, pageLine } from "./v2-lines.js";
import { writeZipFile } from "./write-zip-file.js";

export type { GenerateOptions } from "./generate-options.js";

/** Lines of each file that carry a planted case (see `Special`). */
const PLANTED_LINES: ReadonlyMap<number, Special> = new Map([
  [3, "nul"],
  [4, "visible-nul"],
  [5, "escaped"],
]);

/** How many lines of each file are repeated, byte for byte, in the next file. */
const DUPLICATES_PER_FILE = 3;

export const DAY_MS = 86_400_000;

/** `geoTwitter21-01-01.zip` for index 0; days run on past the end of a month. */
export function archiveName(index: number, era: Era = "2021"): string {
  const d = new Date(ERA_DATES[era].firstDay + index * DAY_MS);
  const two = (n: number) => String(n).padStart(2, "0");
  return `geoTwitter${String(d.getUTCFullYear()).slice(2)}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
}

/**
 * The tweets of one day, generated lazily so memory stays constant.
 * `carried` are tweets of the previous file to repeat; `keep` receives the
 * tweets this file hands on to the next.
 */
function* dayTweets(
  seed: number | string,
  fileIndex: number,
  tweets: number,
  pool: AccountPool,
  carried: readonly GeneratedTweet[],
  keep: GeneratedTweet[],
  era: Era,
): Generator<GeneratedTweet> {
  const rng = Rng.derive(seed, "file", fileIndex);
  const dayStart = ERA_DATES[era].firstDay + fileIndex * DAY_MS;
  const step = DAY_MS / Math.max(tweets, 1);
  // Which of this file's lines the next file repeats: spread over the file.
  const keepAt = new Set(
    Array.from({ length: Math.min(DUPLICATES_PER_FILE, tweets) }, (_, k) =>
      Math.floor(((k + 0.5) * tweets) / DUPLICATES_PER_FILE),
    ),
  );
  const carryAt = new Map(
    carried.map((line, k) => [Math.floor(((k + 1) * tweets) / (carried.length + 1)), line]),
  );
  let lastMs = dayStart - 1;
  for (let i = 0; i < tweets; i++) {
    const repeat = carryAt.get(i);
    if (repeat !== undefined) yield repeat;
    // Strictly increasing milliseconds make every tweet id of a run unique.
    const ms = Math.max(lastMs + 1, Math.floor(dayStart + (i + rng.float()) * step));
    lastMs = ms;
    const id = snowflake(ms, rng.bits(22));
    const special = PLANTED_LINES.get(i);
    const tweet = makeTweet({ rng, pool, ms, id, ...(special ? { special } : {}), era });
    if (keepAt.has(i)) keep.push(tweet);
    yield tweet;
  }
}

/** The lines of `tweets` in `format`; a repeated tweet repeats byte for byte in each. */
function* formatted(tweets: Iterable<GeneratedTweet>, format: ArchiveFormat): Generator<string> {
  if (format === "v2-pages") {
    let page: GeneratedTweet[] = [];
    for (const tweet of tweets) {
      page.push(tweet);
      if (page.length === PAGE_TWEETS) {
        yield pageLine(page);
        page = [];
      }
    }
    if (page.length > 0) yield pageLine(page);
    return;
  }
  for (const tweet of tweets) {
    yield format === "v2-flat" ? flatTweetLine(tweet) : `${toJsonText(tweet.value, tweet.ascii)}\n`;
  }
}

/** Groups lines into ~64 KiB chunks: far fewer stream pushes than one per line. */
function* chunked(lines: Iterable<string>): Generator<Buffer> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= 65_536) {
      yield Buffer.from(parts.join(""), "utf8");
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(""), "utf8");
}

/**
 * The days of a generation in order, each day's tweets lazily; a day's last tweets are
 * repeated in the next day (read each day through before asking for the next).
 */
function* generatedDays(options: GenerateSettings): Generator<GeneratedDay> {
  const { seed, era, files, tweetsPerFile } = options;
  // Enough accounts that most recur, few enough that some tweet often.
  const size = Math.max(20, Math.round(files * tweetsPerFile * 0.3));
  const pool = new AccountPool(seed, size, ERA_DATES[era]);
  let carried: GeneratedTweet[] = [];
  for (let index = 0; index < files; index++) {
    const keep: GeneratedTweet[] = [];
    yield { index, tweets: dayTweets(seed, index, tweetsPerFile, pool, carried, keep, era) };
    carried = keep;
  }
}

/**
 * Writes `files` zip archives of generated tweets into `outDir` and returns
 * their paths. Each archive holds one member of JSON lines. Deterministic:
 * the same options give byte-identical archives on any machine. The stream-grab format
 * writes one tar of the same tweets instead (stream-grab.ts).
 */
export async function generateArchives(given: GenerateOptions): Promise<string[]> {
  const options = generateSettings(given);
  await mkdir(options.outDir, { recursive: true });
  const days = generatedDays(options);
  const format = options.format;
  if (format === "stream-grab") return [await writeStreamGrab(options, days)];
  const paths: string[] = [];
  for (const day of days) {
    const name = archiveName(day.index, options.era);
    const path = join(options.outDir, `${name}.zip`);
    let count = 0;
    const counted = (function* () {
      for (const tweet of day.tweets) {
        count++;
        if (count % 1000 === 0) options.onProgress?.({ file: path, tweets: count, done: false });
        yield tweet;
      }
    })();
    const zip = new yazl.ZipFile();
    // DOS timestamps are local time: build the date from local fields and skip the
    // UTC extended field, so the bytes do not depend on the machine's time zone.
    const date = new Date(ERA_DATES[options.era].firstDay + day.index * DAY_MS);
    zip.addReadStream(
      Readable.from(chunked(formatted(counted, format)), { objectMode: false }),
      `${name}.jsonl`,
      {
        mtime: new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()),
        mode: 0o100644,
        compress: true,
        compressionLevel: 6,
        forceDosTimestamp: true,
      },
    );
    zip.end();
    await writeZipFile(zip, path);
    options.onProgress?.({ file: path, tweets: count, done: true });
    paths.push(path);
  }
  return paths;
}
