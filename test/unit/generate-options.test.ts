import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { GENERATE_DEFAULTS, generateSettings } from "../../src/generate/generate-options.js";
import { runBuiltCli } from "./cli/run-built-cli.js";

const dir = mkdtempSync(join(tmpdir(), "tweetload-generate-options-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("one check of generate's options, for the library and the command line", () => {
  it.each([
    ["files", { files: 0 }, ["--files", "0"]],
    ["tweetsPerFile", { tweetsPerFile: 2.5 }, ["--tweets-per-file", "2.5"]],
    ["tweetsPerMember", { tweetsPerMember: -1 }, ["--tweets-per-member=-1"]],
  ])(
    "generate() refuses a bad %s with the sentence tweetload generate gives",
    async (_, bad, flags) => {
      const outDir = join(dir, "never");
      const refusal = await generateArchives({ outDir, ...bad }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(UserError);
      expect((refusal as UserError).exitCode).toBe(2);
      const cli = runBuiltCli(["generate", "--out", outDir, ...flags]);
      expect(cli.code).toBe(2);
      expect(cli.stderr.split("\n")[0]).toBe(`tweetload: ${(refusal as Error).message}`);
      // Refused before anything is written.
      expect(readdirSync(dir)).not.toContain("never");
    },
  );

  it("refuses a format, era or member compression it does not know, naming the choices", () => {
    expect(() => generateSettings({ outDir: dir, format: "v3" as never })).toThrow(
      /^--format is one of v1, v2-pages, v2-flat, stream-grab, not "v3"\.$/,
    );
    expect(() => generateSettings({ outDir: dir, era: "1999" as never })).toThrow(/^--era is one/);
    expect(() => generateSettings({ outDir: dir, memberCompression: "xz" as never })).toThrow(
      /^--member-compression is one of bz2, gz, mixed/,
    );
  });

  it("fills in every default, once, and keeps what is given", () => {
    expect(generateSettings({ outDir: dir, files: 2, seed: undefined })).toEqual({
      ...GENERATE_DEFAULTS,
      outDir: dir,
      files: 2,
    });
  });
});
