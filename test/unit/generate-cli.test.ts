import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseSeed } from "../../src/cli/commands/generate.js";
import { buildCli } from "../../src/cli/main.js";
import { readLineBatches } from "../../src/input/read-lines.js";
import { projectPath } from "../../src/paths.js";

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

  it("writes the shipped sample's bytes with the default --format v1", async () => {
    const out = join(dir, "sample");
    // The sample is 10 files of 600 tweets (the account pool grows with the total).
    await buildCli([
      "generate",
      "--out",
      out,
      "--files",
      "10",
      "--tweets-per-file",
      "600",
    ]).parseAsync();
    for (const name of ["geoTwitter21-01-01.zip", "geoTwitter21-01-02.zip"]) {
      const shipped = await readFile(projectPath("data", name));
      expect(shipped.equals(await readFile(join(out, name))), name).toBe(true);
    }
  });

  it("writes the same tweets as v2 pages and as flattened v2 tweets with --format", async () => {
    const lines = async (format: string) => {
      const out = join(dir, format);
      await buildCli([
        "generate",
        "--out",
        out,
        "--files",
        "1",
        "--tweets-per-file",
        "150",
        "--format",
        format,
      ]).parseAsync();
      const text: string[] = [];
      for await (const batch of readLineBatches(join(out, "geoTwitter21-01-01.zip"))) {
        text.push(...batch.map((l) => l.text));
      }
      return text.map((t) => JSON.parse(t));
    };
    const v1 = await lines("v1");
    const pages = await lines("v2-pages");
    const flat = await lines("v2-flat");
    expect(pages.map((p) => p.data.length)).toEqual([100, 50]);
    expect(Object.keys(pages[0].includes).sort()).toEqual(["media", "places", "tweets", "users"]);
    expect(flat.map((t) => t.id)).toEqual(v1.map((t) => t.id_str));
    expect(pages.flatMap((p) => p.data.map((t: { id: string }) => t.id))).toEqual(
      v1.map((t) => t.id_str),
    );
    expect(flat.every((t) => t.author.id === t.author_id)).toBe(true);
  });

  it("parses a numeric seed as a number, anything else as text", () => {
    expect(parseSeed("1")).toBe(1);
    expect(parseSeed("2021")).toBe(2021);
    expect(parseSeed("sample")).toBe("sample");
    expect(parseSeed("99999999999")).toBe("99999999999");
  });
  it("takes --era 2012 and --format stream-grab with its member options", async () => {
    const out = join(dir, "stream-grab");
    await buildCli([
      "generate",
      "--out",
      out,
      "--files",
      "1",
      "--tweets-per-file",
      "40",
      "--era",
      "2012",
      "--format",
      "stream-grab",
      "--tweets-per-member",
      "20",
      "--member-compression",
      "gz",
    ]).parseAsync();
    expect(await readdir(out)).toEqual(["twitter-stream-2012-01-01.tar"]);
    let tweets = 0;
    for await (const batch of readLineBatches(join(out, "twitter-stream-2012-01-01.tar")))
      tweets += batch.filter((l) => l.text.includes("2012")).length;
    expect(tweets).toBe(40);
  }, 30_000);
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
