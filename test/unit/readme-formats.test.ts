import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { factsOfLine } from "../../src/check/line-facts.js";
import { projectPath } from "../../src/paths.js";
import { lineToTweets } from "../../src/transform/line-to-tweets.js";
import { TEXT } from "../../src/transform/tweet-to-rows.js";

/** The example line of each accepted format in the README's "Inputs", in order. */
async function readmeExamples(): Promise<string[]> {
  const readme = await readFile(projectPath("README.md"), "utf8");
  const start = readme.indexOf("\n## Inputs\n");
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf("\n## ", start + 1));
  return [...section.matchAll(/^ {2}`(\{.*\})`$/gm)].map((m) => m[1] as string);
}

describe("README: the example line of each input format", () => {
  it("shows one line per format, each loading as the same tweet", async () => {
    const [v1, page, flat, ...rest] = await readmeExamples();
    expect(rest).toEqual([]);
    const rows = [v1, page, flat].map((line) => lineToTweets(line as string, TEXT));
    for (const { tweets, rejects } of rows) {
      expect(rejects).toEqual([]);
      expect(tweets).toHaveLength(1);
      expect(tweets[0]?.tweet).toMatchObject({
        id: "1345000000000000001",
        userId: "42",
        text: "hi #a",
      });
      expect(tweets[0]?.tags).toEqual(["#a"]);
      expect(tweets[0]?.users[0]?.screenName).toBe("ann");
    }
    // The page resolves its place through includes, as the prose says.
    expect(rows[1]?.tweets[0]?.tweet).toMatchObject({ countryCode: "us", placeName: "Austin, TX" });
    // The checker's own reading agrees.
    for (const line of [v1, page, flat]) {
      expect(factsOfLine(line as string).map((f) => [f.id, f.author.screenName, f.tags])).toEqual([
        ["1345000000000000001", "ann", ["#a"]],
      ]);
    }
  });
});
