import { describe, expect, it } from "vitest";
import { check } from "../../src/api/check.js";
import { UserError } from "../../src/errors.js";
import { runBuiltCli } from "./cli/run-built-cli.js";

describe("check() refuses what tweetload check refuses, with its sentence", () => {
  it("a URL without a scheme: the command line's sentence, naming the option as each caller wrote it", async () => {
    const bad = "alice:s3cret@localhost:5432";
    const refusal = await check({ targets: { normalized: bad }, env: {} }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(UserError);
    expect((refusal as UserError).exitCode).toBe(2);
    const cli = runBuiltCli(["check", "--normalized-url", bad]);
    expect(cli.code).toBe(2);
    const sentence = (refusal as Error).message;
    expect(sentence).toMatch(
      /^targets\.normalized "alice:\*\*\*@localhost:5432" is not a connection URL/,
    );
    expect(cli.stderr.split("\n")[0]).toBe(
      `tweetload: ${sentence.replace("targets.normalized", "--normalized-url")}`,
    );
    expect(cli.stderr).not.toContain("s3cret");
  });
});
