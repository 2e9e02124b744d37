import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { GenerateOptions } from "../../generate/generate-options.js";
import { listArchives } from "../../input/list-archives.js";
import { readLines } from "../../input/read-lines.js";
import { classifyLine } from "../../transform/classify-line.js";
import type { DataSource } from "./data-sets.js";

const COMPLETE = ".complete";

/** What the marker of a finished Stream Grab set records. */
interface Made {
  /** Tweet lines of the tar, counted by tweetload's own classifier once it was written. */
  tweets: number;
}

/** Tweet lines of a tar (notices and bad lines left out), as the loaders count them. */
async function tweetLines(tar: string): Promise<number> {
  let tweets = 0;
  for await (const line of readLines(tar)) {
    if (line.error !== undefined) continue;
    try {
      if (classifyLine(line.text).kind === "tweets") tweets++;
    } catch {
      // a bad line: the loaders reject it too
    }
  }
  return tweets;
}

/**
 * The generated set's tweets as one Twitter Stream Grab tar (same seed and sizes): per-minute
 * `.json.bz2` members of 2,000 tweets (a real minute of the stream is 1,000-3,000), delete
 * notices after a third of them. Made once; its marker holds the tar's tweet lines.
 */
export async function streamGrabDataSet(
  source: DataSource & { tweetsPerFile: number },
  seed: number,
  root: string,
  generate: (options: GenerateOptions) => Promise<string[]>,
  log: (line: string) => void,
): Promise<DataSource> {
  const files = source.archives.length;
  const dir = join(root, `${files}x${source.tweetsPerFile}-seed${seed}-stream-grab`);
  if ((await madeOf(dir)) === undefined) {
    log(`generating the same tweets as a Stream Grab tar into ${dir} …`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const [tar] = await generate({
      outDir: dir,
      files,
      tweetsPerFile: source.tweetsPerFile,
      seed,
      format: "stream-grab",
    });
    const made: Made = { tweets: await tweetLines(tar as string) };
    await writeFile(join(dir, COMPLETE), `${JSON.stringify(made)}\n`);
  }
  return {
    key: `stream-grab:${source.key}`,
    dir,
    archives: (await listArchives([dir])).files,
    derived: { of: source.key, shape: "stream-grab" },
  };
}

async function madeOf(dir: string): Promise<Made | undefined> {
  const text = await readFile(join(dir, COMPLETE), "utf8").catch(() => "");
  try {
    const made = JSON.parse(text) as Made;
    return typeof made.tweets === "number" ? made : undefined;
  } catch {
    return undefined;
  }
}

/** The tweet lines of the Stream Grab set whose tar is `tar` (its marker's count). */
export async function streamGrabTweets(tar: string): Promise<number> {
  const made = await madeOf(dirname(tar));
  if (made === undefined) {
    throw new Error(
      `${dirname(tar)} is not a finished Stream Grab set: run the bench again to make it`,
    );
  }
  return made.tweets;
}
