import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { finished } from "node:stream/promises";
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { ERA_DATES as DATES } from "./era.js";
import type { GenerateSettings } from "./generate-options.js";
import { snowflake } from "./ids.js";
import { toJsonText } from "./json-text.js";
import { Rng } from "./prng.js";
import type { GeneratedTweet } from "./tweet.js";

const MINUTE_MS = 60_000;
const two = (n: number) => String(n).padStart(2, "0");

/** `2012/01/01/00/07`: the member path of minute `minute` of day `date` (a UTC time). */
function minutePath(date: number, minute: number): string {
  const d = new Date(date + minute * MINUTE_MS);
  return `${d.getUTCFullYear()}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${two(d.getUTCHours())}/${two(d.getUTCMinutes())}`;
}

/**
 * A delete notice as the streaming API sent it, for a tweet of a few hours before `ms`
 * (2021's notices carry timestamp_ms; 2012's did not).
 */
function deleteNotice(rng: Rng, ms: number, modern: boolean): string {
  const id = snowflake(ms - rng.int(60_000, 6 * 3_600_000), rng.bits(22));
  const user = rng.int(10_000, 1_400_000_000);
  const status = `"status":{"id":${id},"id_str":"${id}","user_id":${user},"user_id_str":"${user}"}`;
  return `{"delete":{${status}${modern ? `,"timestamp_ms":"${ms}"` : ""}}}\n`;
}

/** bzip2 -9 of `data`, by the system's bzip2 (the reference: the same bytes everywhere). */
function bzip2(data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("bzip2", ["-9", "-c"], { stdio: ["pipe", "pipe", "inherit"] });
    const out: Buffer[] = [];
    child.stdout.on("data", (piece: Buffer) => out.push(piece));
    child.on("error", (error) =>
      reject(
        new Error(
          `generate --format stream-grab writes .bz2 members with the system's bzip2, which could not run (${error.message}): install bzip2, or use --member-compression gz`,
        ),
      ),
    );
    child.on("close", (code) =>
      code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`bzip2 exited with ${code}`)),
    );
    child.stdin.end(data);
  });
}

/** One generated day: its index and its tweets, made as they are read. */
export interface GeneratedDay {
  index: number;
  tweets: Iterable<GeneratedTweet>;
}

/** What a Stream Grab tar is made of (generate-options.ts). */
export type StreamGrabOptions = Pick<
  GenerateSettings,
  "outDir" | "seed" | "era" | "tweetsPerMember" | "memberCompression" | "onProgress"
>;

/** Members of one day at most: one per minute. */
const MINUTES = 1440;

/** A member of the tar being written: its path and its bytes as stored. */
interface Member {
  name: string;
  mtime: Date;
  data: Promise<Buffer>;
}

/**
 * Writes the generated days as one tar shaped like the Archive Team's Twitter Stream
 * Grab: per-minute members `YYYY/MM/DD/HH/MM.json.bz2` (or `.json.gz`) of raw stream
 * lines, each of `tweetsPerMember` tweets with a delete notice after a third of them (a
 * quarter of the lines), the minutes counted from each day's midnight. Returns its path,
 * `twitter-stream-YYYY-MM-DD.tar` after the first day. Deterministic, as the zips are.
 */
export async function writeStreamGrab(
  options: StreamGrabOptions,
  days: Iterable<GeneratedDay>,
): Promise<string> {
  const era = options.era;
  const perMember = options.tweetsPerMember;
  const compression = options.memberCompression;
  const first = new Date(DATES[era].firstDay);
  const name = `twitter-stream-${first.toISOString().slice(0, 10)}.tar`;
  const path = join(options.outDir, name);
  const pack = tar.pack();
  const out = createWriteStream(`${path}.partial`);
  pack.pipe(out as unknown as NodeJS.WritableStream);
  // Members compress (in bzip2 processes) while the next ones are generated.
  const queue: Member[] = [];
  const flush = async (keep: number) => {
    while (queue.length > keep) {
      const member = queue.shift() as Member;
      const data = await member.data;
      await new Promise<void>((resolve, reject) =>
        pack.entry(
          { name: member.name, size: data.length, mtime: member.mtime, mode: 0o644 },
          data,
          (error) => (error ? reject(error) : resolve()),
        ),
      );
    }
  };
  let total = 0;
  let members = 0;
  for (const day of days) {
    const date = DATES[era].firstDay + day.index * 86_400_000;
    const rng = Rng.derive(options.seed, "deletes", day.index);
    let lines: string[] = [];
    let tweets = 0;
    let minute = 0;
    const cut = () => {
      if (minute === MINUTES) {
        throw new RangeError(
          `a day of the Stream Grab holds at most ${MINUTES} members (one a minute): raise the tweets per member`,
        );
      }
      const gz = compression === "gz" || (compression === "mixed" && members % 4 === 3);
      const bytes = Buffer.from(lines.join(""), "utf8");
      queue.push({
        name: `${minutePath(date, minute)}.json.${gz ? "gz" : "bz2"}`,
        mtime: new Date(date + (minute + 1) * MINUTE_MS),
        data: gz ? Promise.resolve(gzipSync(bytes, { level: 6 })) : bzip2(bytes),
      });
      members++;
      minute++;
      lines = [];
      tweets = 0;
    };
    for (const tweet of day.tweets) {
      lines.push(`${toJsonText(tweet.value, tweet.ascii)}\n`);
      if (rng.chance(1 / 3))
        lines.push(deleteNotice(rng, date + minute * MINUTE_MS, era !== "2012"));
      total++;
      if (++tweets === perMember) {
        cut();
        await flush(4);
      }
    }
    if (tweets > 0) cut();
    options.onProgress?.({ file: path, tweets: total, done: false });
  }
  await flush(0);
  pack.finalize();
  await finished(out);
  await rename(`${path}.partial`, path);
  options.onProgress?.({ file: path, tweets: total, done: true });
  return path;
}
