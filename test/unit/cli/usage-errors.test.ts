import { describe, expect, it } from "vitest";
import { runBuiltCli } from "./run-built-cli.js";

/** A usage error: exit 2, the sentence, the pointer to --help, and nothing else. */
function expectUsageError(args: string[], sentence: RegExp, help: string) {
  const run = runBuiltCli(args);
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split("\n");
  expect(lines[0]).toMatch(sentence);
  expect(lines.slice(1)).toEqual([help]);
  expect(run.stderr).not.toMatch(/Options:|TWEETLOAD_DEBUG|\bat .*\.js:\d+/);
  expect(run.stdout).toBe("");
}

describe("usage errors: one sentence and a pointer to --help, exit 2", () => {
  it("suggests the command a typo meant", () => {
    expectUsageError(
      ["lod", "data"],
      /^tweetload: unknown command "lod": did you mean load\?$/,
      "Run `tweetload --help` for the commands.",
    );
  });

  it("names the mistyped subcommand, not its parent", () => {
    expectUsageError(
      ["db", "upp"],
      /^tweetload: unknown command "upp": did you mean up\?$/,
      "Run `tweetload db --help` for its options.",
    );
    expectUsageError(
      ["db"],
      /^tweetload: name a db command: up, status, init, reset, refresh, down, env\.$/,
      "Run `tweetload db --help` for its options.",
    );
  });

  it("refuses load --batch-size 0 while parsing, with the pointer to --help", () => {
    expectUsageError(
      ["load", "--db", "all", "--batch-size", "0", "data"],
      /^tweetload: --batch-size must be a whole number of at least 1, not 0\.?$/,
      "Run `tweetload load --help` for its options.",
    );
  });

  it("suggests the --db choice a typo meant", () => {
    expectUsageError(
      ["load", "--db", "denormalised", "data"],
      /^tweetload: --db "denormalised" is not one of denormalized, normalized, normalized_batch, all: did you mean denormalized\?$/,
      "Run `tweetload load --help` for its options.",
    );
  });

  it("names a number option given a word (--jobs abc), not 'NaN'", () => {
    expectUsageError(
      ["load", "--db", "denormalized", "--jobs", "abc", "data"],
      /^tweetload: --jobs must be a number, not "abc"\.$/,
      "Run `tweetload load --help` for its options.",
    );
  });

  it("refuses generate --files 0 with a sentence, not a stack-trace hint and exit 1", () => {
    expectUsageError(
      ["generate", "--files", "0"],
      /^tweetload: --files must be a whole number of at least 1, not 0\.$/,
      "Run `tweetload generate --help` for its options.",
    );
  });

  it("points a db subcommand at its own help", () => {
    expectUsageError(
      ["db", "reset", "--db", "normalised"],
      /did you mean normalized\?$/,
      "Run `tweetload db reset --help` for its options.",
    );
  });

  it("refuses a URL without a scheme, with the form to use and no password", () => {
    const run = runBuiltCli(["check", "--normalized-url", "alice:s3cret@localhost:5432"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--normalized-url "alice:\*\*\*@localhost:5432" is not a connection URL: write it as postgres:\/\/USER@HOST:PORT\/pg_normalized \(USER:PASSWORD@HOST when it needs a password\), here perhaps postgres:\/\/alice:\*\*\*@localhost:5432\/pg_normalized/,
    );
    expect(run.stderr).not.toContain("s3cret");
  });

  it("refuses a libpq key=value string without echoing it (it may hold a password)", () => {
    const run = runBuiltCli(["check", "--denormalized-url", "host=db password=s3cret"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /--denormalized-url is a key=value connection string.*postgres:\/\//,
    );
    expect(run.stderr).not.toContain("s3cret");
  });

  it("refuses such a URL from the environment too, naming the variable", () => {
    const run = runBuiltCli(["check"], { TWEETLOAD_DENORMALIZED_URL: "localhost:5432" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^tweetload: TWEETLOAD_DENORMALIZED_URL "localhost:5432" is not a connection URL/,
    );
  });
});

describe("--help", () => {
  it("documents the exit codes 0, 1, 2, 3 and 130, at the top and for a command", () => {
    for (const args of [["--help"], ["load", "--help"]]) {
      const run = runBuiltCli(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /Exit codes:\n\s+0 .*\n\s+1 .*\n\s+2 .*usage.*\n\s+3 .*stale.*\n\s+130 .*interrupted/,
      );
    }
  });

  it("says where the embedded clusters live and how that is decided", () => {
    const run = runBuiltCli(["start", "--help"]);
    expect(run.stdout).toMatch(/--home/);
    expect(run.stdout).toMatch(/git clone/);
  });
});
