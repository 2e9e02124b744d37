import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseSeed } from "../../src/cli/commands/generate.js";
import { buildCli } from "../../src/cli/main.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-generate-cli-"));
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const generate = (out: string) =>
  buildCli([
    "generate",
    "--out",
    out,
    "--files",
    "2",
    "--tweets-per-file",
    "30",
    "--seed",
    "1",
  ]).parseAsync();

describe("tweetload generate", () => {
  it("gives byte-identical archives when run twice with --seed 1", async () => {
    await generate(join(dir, "one"));
    await generate(join(dir, "two"));
    const names = await readdir(join(dir, "one"));
    expect(names).toEqual(["geoTwitter21-01-01.zip", "geoTwitter21-01-02.zip"]);
    for (const name of names) {
      const a = await readFile(join(dir, "one", name));
      expect(a.equals(await readFile(join(dir, "two", name)))).toBe(true);
    }
  });

  it("parses a numeric seed as a number, anything else as text", () => {
    expect(parseSeed("1")).toBe(1);
    expect(parseSeed("2021")).toBe(2021);
    expect(parseSeed("sample")).toBe("sample");
    expect(parseSeed("99999999999")).toBe("99999999999");
  });
});

describe("tweetload check --derive-expected", () => {
  it("writes the expected answers of the archives it is given, without a database", async () => {
    await buildCli([
      "check",
      "--derive-expected",
      "--data",
      join(dir, "one"),
      "--expected-dir",
      join(dir, "expected"),
    ]).parseAsync();
    const outs = (await readdir(join(dir, "expected"))).sort();
    expect(outs).toHaveLength(10);
    expect(outs[0]).toBe("01_tweets.out");
    // 2 × 30 tweets plus the three repeated lines, counted once.
    expect(await readFile(join(dir, "expected", "01_tweets.out"), "utf8")).toBe("60\n");
  });
});
