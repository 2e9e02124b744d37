import { describe, expect, it } from "vitest";
import { load } from "../../../src/api/load.js";
import { checkLoadArgs } from "../../../src/cli/commands/load.js";
import { UserError } from "../../../src/errors.js";

/** The error `fn` throws (or rejects with), to compare the library's with the CLI's. */
async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("one check of a load's options, for the library and the command line", () => {
  it.each([
    [
      "maxLineBytes",
      { maxLineBytes: 0 },
      /--max-line-bytes must be a whole number of at least 1, not 0/,
    ],
    ["jobs", { jobs: 0 }, /--jobs must be a whole number of at least 1, not 0/],
    ["batchSize", { batchSize: 2.5 }, /--batch-size must be a whole number of at least 1, not 2.5/],
    [
      "chunkLines",
      { chunkLines: -1 },
      /--chunk-lines must be a whole number of at least 0, not -1/,
    ],
    ["retries", { retries: -2 }, /--retries must be a whole number of at least 0, not -2/],
    ["maxRejects", { maxRejects: "lots" }, /--max-rejects/],
  ])("load() refuses a bad %s with the sentence tweetload load gives", async (_, bad, sentence) => {
    const fromCli = await caught(() => checkLoadArgs({ jobs: 1, batchSize: 1, ...bad }));
    // Refused before any file is listed or database asked: the path and URL are never read.
    const fromLibrary = await caught(() =>
      load({
        files: ["/nonexistent/archive.zip"],
        targets: { denormalized: "postgres://x@127.0.0.1:1/x" },
        dbs: ["denormalized"],
        ...bad,
      }),
    );
    expect(fromLibrary).toBeInstanceOf(UserError);
    expect((fromLibrary as Error).message).toMatch(sentence);
    expect((fromLibrary as Error).message).toBe((fromCli as Error).message);
  });

  it("refuses a duration in milliseconds that is not one", async () => {
    const error = await caught(() => load({ files: [], retryForMs: Number.NaN }));
    expect((error as Error).message).toMatch(
      /--retry-for must be a duration of at least 0 ms \(retryForMs\), not NaN/,
    );
  });
});
