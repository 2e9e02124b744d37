import { describe, expect, it, vi } from "vitest";
import type { LoadArgs } from "../../../src/cli/commands/load.js";
import { checkLoadArgs, dbsOf, STDIN_ARG } from "../../../src/cli/commands/load.js";
import { buildCli } from "../../../src/cli/main.js";

const STOP = "parsed; handler not run";

/**
 * Parses `tweetload load ...` through the real CLI. A middleware captures the options and
 * stops before the handler; a usage error is what the CLI prints before exiting with 2.
 */
async function parse(args: string[]): Promise<{ argv?: LoadArgs; error?: string }> {
  let argv: LoadArgs | undefined;
  let error: string | undefined;
  const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => {
    throw new Error(`exit ${code}`);
  }) as never);
  const printed = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    await buildCli(["load", ...args])
      .middleware((parsed) => {
        argv = parsed as unknown as LoadArgs;
        throw new Error(STOP);
      })
      .parseAsync();
  } catch (e) {
    const message = (e as Error).message;
    if (message !== STOP) error = `${message}\n${printed.mock.calls.flat().join("\n")}`;
  } finally {
    exit.mockRestore();
    printed.mockRestore();
  }
  return { ...(argv ? { argv } : {}), ...(error ? { error } : {}) };
}

describe("tweetload load (parsing)", () => {
  it("maps flags to options", async () => {
    const { argv, error } = await parse([
      "--db",
      "normalized",
      "-j",
      "4",
      "--batch-size",
      "250",
      "--json",
      "--rejects",
      "rej",
      "--normalized-url",
      "postgres://u@h/db",
      "a.zip",
      "dir",
    ]);
    expect(error).toBeUndefined();
    expect(argv).toMatchObject({
      db: "normalized",
      jobs: 4,
      batchSize: 250,
      json: true,
      rejects: "rej",
      normalizedUrl: "postgres://u@h/db",
      paths: ["a.zip", "dir"],
    });
  });

  it("defaults: jobs = cores, a measured batch size, table output", async () => {
    const { argv } = await parse(["--db", "all", "data"]);
    expect(argv?.jobs).toBeGreaterThanOrEqual(1);
    expect(argv?.batchSize).toBeGreaterThan(1);
    expect(argv?.json).toBe(false);
    expect(argv?.retryFor).toBe("60s");
    expect(argv?.retries).toBeUndefined();
  });

  it.each([
    [["--db", "nope", "a.zip"], /--db "nope" is not one of denormalized, normalized/],
    [["a.zip"], /--db is required/],
    [["--db", "all"], /name at least one file or folder/],
    [["--db", "all", "--bogus=1", "a.zip"], /unknown argument: bogus/],
  ])("refuses %j", async (args, message) => {
    const { error } = await parse(args);
    expect(error).toMatch(message);
  });

  it.each([
    [{ jobs: 0, batchSize: 1 }, /--jobs must be a whole number of at least 1, not 0/],
    [{ jobs: 2, batchSize: 2.5 }, /--batch-size must be a whole number of at least 1, not 2.5/],
    [{ jobs: Number.NaN, batchSize: 1 }, /--jobs/],
    [
      { jobs: 1, batchSize: 1, retryFor: "5 minutes" },
      /--retry-for must be a duration such as 60s/,
    ],
  ])("refuses numbers %j", (args, message) => {
    expect(() => checkLoadArgs(args)).toThrow(message);
  });

  it("expands --db all into the three databases", () => {
    expect(dbsOf("all")).toEqual(["denormalized", "normalized", "normalized_batch"]);
    expect(dbsOf("normalized")).toEqual(["normalized"]);
  });

  it("takes a repeated --db as each database once, in the order given", () => {
    expect(dbsOf(["normalized_batch", "denormalized", "normalized_batch"])).toEqual([
      "normalized_batch",
      "denormalized",
    ]);
    expect(dbsOf(["normalized", "all"])).toEqual([
      "normalized",
      "denormalized",
      "normalized_batch",
    ]);
  });

  // yargs/yargs#1312: yargs turns a lone "-" positional into nothing.
  it("keeps a lone - (standard input) among the paths, which yargs alone drops", async () => {
    const { argv, error } = await parse(["--db", "denormalized", "a.zip", "-"]);
    expect(error).toBeUndefined();
    expect(argv?.paths).toEqual(["a.zip", STDIN_ARG]);
  });

  it("takes --max-line-bytes as a whole number of at least 1", async () => {
    const { argv } = await parse(["--db", "denormalized", "--max-line-bytes", "4096", "a.zip"]);
    expect(argv?.maxLineBytes).toBe(4096);
    expect(() => checkLoadArgs({ jobs: 1, batchSize: 1, maxLineBytes: 0 })).toThrow(
      /--max-line-bytes must be a whole number of at least 1, not 0/,
    );
  });
});
