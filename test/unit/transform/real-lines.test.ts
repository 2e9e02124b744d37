import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateArchives } from "../../../src/generate/generate-archives.js";
import type { ArchiveFormat } from "../../../src/generate/v2-lines.js";
import { readLineBatches } from "../../../src/input/read-lines.js";
import { projectPath } from "../../../src/paths.js";
import { classifyLine } from "../../../src/transform/classify-line.js";

// docs/line-rules.md was chosen so that no real tweet is rejected: every line of the
// shipped sample and of generated archives in each format passes it.

/** Tweets and reasons of rejected lines and page tweets, over every file of `dir`. */
async function judge(dir: string): Promise<{ tweets: number; rejected: string[] }> {
  const out = { tweets: 0, rejected: [] as string[] };
  const archives = (await readdir(dir)).filter((n) => /\.(zip|jsonl|json)$/.test(n)).sort();
  for (const name of archives) {
    for await (const batch of readLineBatches(join(dir, name))) {
      for (const line of batch) {
        try {
          const c = classifyLine(line.text);
          if (c.kind !== "tweets") continue;
          out.tweets += c.tweets.length;
          out.rejected.push(...c.rejects.map((r) => `${name}:${line.lineNo}: ${r.error}`));
        } catch (error) {
          out.rejected.push(`${name}:${line.lineNo}: ${(error as Error).message}`);
        }
      }
    }
  }
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-real-lines-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("no line of real-shaped archives breaks the line rules", () => {
  // Real-sized data: seconds on a loaded host, past the unit tests' default 5 s limit.
  it("the shipped sample: 6,027 tweets, none rejected", { timeout: 60_000 }, async () => {
    expect(await judge(projectPath("data"))).toEqual({ tweets: 6027, rejected: [] });
  });

  it.each(["v1", "v2-pages", "v2-flat"] as ArchiveFormat[])(
    "generated archives (%s): none rejected",
    { timeout: 60_000 },
    async (format) => {
      const out = join(dir, format);
      await generateArchives({ outDir: out, files: 2, tweetsPerFile: 1500, seed: 11, format });
      const judged = await judge(out);
      // A few generated tweets repeat across files, as in real archives.
      expect(judged.tweets).toBeGreaterThanOrEqual(3000);
      expect(judged.rejected).toEqual([]);
    },
  );
});
