import { requireChoice, requireWholeNumber } from "../option-checks.js";
import { ERAS, type Era } from "./era.js";
import { ARCHIVE_FORMATS, type ArchiveFormat } from "./v2-lines.js";

/** How a Stream Grab tar's members are compressed: all bzip2, all gzip, or every fourth gzip. */
export const MEMBER_COMPRESSIONS = ["bz2", "gz", "mixed"] as const;
export type MemberCompression = (typeof MEMBER_COMPRESSIONS)[number];

/** What `generate` writes: every option of `generate()` and `tweetload generate`, once. */
export interface GenerateOptions {
  /** Folder the archives are written to. */
  outDir: string;
  /** Number of archives, one per day from 2021-01-01 (2012-01-01 for era 2012). */
  files?: number;
  /** Tweets generated per archive (plus the few duplicated from the previous file). */
  tweetsPerFile?: number;
  /** Same seed, same bytes. */
  seed?: number | string;
  /**
   * v1: one v1.1 tweet per line. v2-pages: the same tweets as API v2 response pages of
   * PAGE_TWEETS with their `includes`; v2-flat: one flattened v2 tweet per line;
   * stream-grab: the v1.1 tweets of all the days as one tar of per-minute members with
   * delete notices (stream-grab.ts).
   */
  format?: ArchiveFormat | "stream-grab";
  /** The tweets' shape and dates (era.ts). */
  era?: Era;
  /** stream-grab: tweets per member (each also followed by a delete notice a third of the time). */
  tweetsPerMember?: number;
  /** stream-grab: how the members are compressed. */
  memberCompression?: MemberCompression;
  onProgress?: (event: { file: string; tweets: number; done: boolean }) => void;
}

/** Every default of `generate`, in one place; the command line's flags default to these. */
export const GENERATE_DEFAULTS = {
  outDir: "generated",
  files: 10,
  tweetsPerFile: 10_000,
  seed: 1,
  format: "v1",
  era: "2021",
  /** A minute of the 1% stream. */
  tweetsPerMember: 2000,
  memberCompression: "bz2",
} as const satisfies Required<Omit<GenerateOptions, "onProgress">>;

/** The options with every default filled in. */
export type GenerateSettings = Required<Omit<GenerateOptions, "onProgress">> &
  Pick<GenerateOptions, "onProgress">;

/** The formats `format` takes. */
export const GENERATE_FORMATS = [...ARCHIVE_FORMATS, "stream-grab"] as const;

/**
 * Refuses an option out of its range with the sentence `tweetload generate` gives for its
 * flag (a UserError, exit 2), and fills in the defaults.
 */
export function generateSettings(options: GenerateOptions): GenerateSettings {
  requireWholeNumber("--files", options.files, 1);
  requireWholeNumber("--tweets-per-file", options.tweetsPerFile, 1);
  requireWholeNumber("--tweets-per-member", options.tweetsPerMember, 1);
  requireChoice("--format", options.format, GENERATE_FORMATS);
  requireChoice("--era", options.era, ERAS);
  requireChoice("--member-compression", options.memberCompression, MEMBER_COMPRESSIONS);
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...GENERATE_DEFAULTS, ...set } as GenerateSettings;
}
