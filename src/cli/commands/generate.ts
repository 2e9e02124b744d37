import { relative } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { ARCHIVE_FORMATS, type ArchiveFormat } from "../../generate/v2-lines.js";
import { countOf } from "../../report/plural.js";
import { requireWholeNumber } from "../number-options.js";

interface GenerateArgs {
  out: string;
  files: number;
  tweetsPerFile: number;
  seed: string;
  format: ArchiveFormat;
}

/** Parses `--seed`: a whole number stays a number (so `--seed 1` equals `seed: 1` in code). */
export function parseSeed(text: string): number | string {
  return /^\d+$/.test(text) && Number(text) <= 0xffffffff ? Number(text) : text;
}

/** `tweetload generate`: realistic geotagged tweet archives, deterministic by seed. */
export const generateCommand: CommandModule<object, GenerateArgs> = {
  command: "generate",
  describe:
    "Write archives of realistic generated tweets (geoTwitter21-01-01.zip …); same seed, same bytes",
  builder: (yargs: Argv) =>
    yargs
      .option("out", {
        type: "string",
        default: "generated",
        describe: "Folder to write the archives to",
      })
      .option("files", {
        type: "number",
        default: 10,
        describe: "Number of archives (one day each)",
      })
      .option("tweets-per-file", {
        type: "number",
        default: 10_000,
        describe: "Tweets per archive",
      })
      .option("seed", { type: "string", default: "1", describe: "Seed of the generator" })
      .option("format", {
        choices: ARCHIVE_FORMATS,
        default: "v1" as ArchiveFormat,
        describe:
          "v1: Twitter API v1.1 tweets, one per line; v2-pages: the same tweets as API v2 response pages (100 tweets with their includes); v2-flat: one flattened v2 tweet per line (twarc2 flatten)",
      })
      .check((argv) => {
        requireWholeNumber("--files", argv.files, 1);
        requireWholeNumber("--tweets-per-file", argv.tweetsPerFile, 1);
        return true;
      }) as unknown as Argv<GenerateArgs>,
  handler: async (argv) => {
    const { generateArchives } = await import("../../generate/generate-archives.js");
    const started = Date.now();
    const paths = await generateArchives({
      outDir: argv.out,
      files: argv.files,
      tweetsPerFile: argv.tweetsPerFile,
      seed: parseSeed(argv.seed),
      format: argv.format,
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
