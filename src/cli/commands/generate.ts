import { relative } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { ERAS, type Era } from "../../generate/era.js";
import {
  GENERATE_DEFAULTS as D,
  GENERATE_FORMATS,
  type GenerateOptions,
  generateSettings,
  MEMBER_COMPRESSIONS,
  type MemberCompression,
} from "../../generate/generate-options.js";
import type { ArchiveFormat } from "../../generate/v2-lines.js";
import { countOf } from "../../report/plural.js";

interface GenerateArgs {
  out: string;
  files: number;
  tweetsPerFile: number;
  seed: string;
  format: ArchiveFormat | "stream-grab";
  era: Era;
  tweetsPerMember: number;
  memberCompression: MemberCompression;
}

/** Parses `--seed`: a whole number stays a number (so `--seed 1` equals `seed: 1` in code). */
export function parseSeed(text: string): number | string {
  return /^\d+$/.test(text) && Number(text) <= 0xffffffff ? Number(text) : text;
}

/** The flags as generate()'s options (generate-options.ts checks them for both). */
const optionsOf = (argv: GenerateArgs): GenerateOptions => ({
  outDir: argv.out,
  files: argv.files,
  tweetsPerFile: argv.tweetsPerFile,
  seed: parseSeed(argv.seed),
  format: argv.format,
  era: argv.era,
  tweetsPerMember: argv.tweetsPerMember,
  memberCompression: argv.memberCompression,
});

/** `tweetload generate`: realistic geotagged tweet archives, deterministic by seed. */
export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe:
    "Write archives of realistic generated tweets (geoTwitter21-01-01.zip …); same seed, same bytes",
  builder: (yargs: Argv) =>
    yargs
      .option("out", {
        type: "string",
        default: D.outDir,
        describe: "Folder to write the archives to",
      })
      .option("files", {
        type: "number",
        default: D.files,
        describe: "Number of archives (one day each)",
      })
      .option("tweets-per-file", {
        type: "number",
        default: D.tweetsPerFile,
        describe: "Tweets per archive",
      })
      .option("seed", {
        type: "string",
        default: String(D.seed),
        describe: "Seed of the generator",
      })
      .option("format", {
        choices: GENERATE_FORMATS,
        default: D.format as ArchiveFormat,
        describe:
          "v1: Twitter API v1.1 tweets, one per line; v2-pages: the same tweets as API v2 response pages (100 tweets with their includes); v2-flat: one flattened v2 tweet per line (twarc2 flatten); stream-grab: the v1.1 tweets of all the days as one tar like the Archive Team's Twitter Stream Grab (YYYY/MM/DD/HH/MM.json.bz2 members, a quarter of the lines delete notices)",
      })
      .option("era", {
        type: "string",
        choices: ERAS,
        default: D.era as Era,
        describe:
          "the tweets' shape and dates: 2021 (the full v1.1 shape) or 2012 (2011-2013 tweets: 140 characters, no extended_tweet, quote_count, reply_count or favorite_count, often no place)",
      })
      .option("tweets-per-member", {
        type: "number",
        default: D.tweetsPerMember,
        describe: "stream-grab: tweets per per-minute member (at most 1,440 members a day)",
      })
      .option("member-compression", {
        choices: MEMBER_COMPRESSIONS,
        default: D.memberCompression as MemberCompression,
        describe:
          "stream-grab: bz2 (the system's bzip2 writes them), gz, or mixed (every fourth member .gz)",
      })
      .check((argv) => {
        generateSettings(optionsOf(argv as unknown as GenerateArgs));
        return true;
      }) as unknown as Argv<GenerateArgs>,
  handler: async (argv) => {
    const { generateArchives } = await import("../../generate/generate-archives.js");
    const started = Date.now();
    const paths = await generateArchives({
      ...optionsOf(argv),
      onProgress: ({ file, tweets, done }) => {
        if (done)
          console.log(
            `wrote ${relative(process.cwd(), file) || file} (${countOf(tweets, "tweet")})`,
          );
      },
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`${countOf(paths.length, "archive")} in ${seconds} s, seed ${argv.seed}.`);
  },
};
