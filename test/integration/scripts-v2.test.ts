import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveExpected, writeExpected } from "../../src/check/derive-expected.js";
import { DB_KINDS, type Targets, targetEnvName } from "../../src/db/targets.js";
import { archiveName, generateArchives } from "../../src/generate/generate-archives.js";
import { projectPath } from "../../src/paths.js";
import { freshTargets } from "./helpers/database.js";

const run = promisify(execFile);

/**
 * The shell path with API v2 archives: the scripts hand every file to the CLI, which
 * splits pages into tweets, so a folder of v2 pages and flattened v2 tweets loads through
 * load_tweets_sequential.sh and ./check-answers.sh finds the answers derived from the
 * same tweets written as v1.1 (the derivation never sees the v2 files).
 */
describe("scripts and API v2 archives", () => {
  let dir: string;
  let targets: Targets;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tweetload-scripts-v2-"));
    ({ targets, drop } = await freshTargets());
  });
  afterAll(async () => {
    await drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it("load_tweets_sequential.sh loads v2 pages and flattened tweets; check-answers.sh agrees with the v1.1 twins", async () => {
    const gen = (format: "v1" | "v2-pages" | "v2-flat") =>
      generateArchives({
        outDir: join(dir, format),
        files: 3,
        tweetsPerFile: 300,
        seed: 9,
        format,
      });
    await Promise.all([gen("v1"), gen("v2-pages"), gen("v2-flat")]);
    // Days 1 and 2 as pages, day 3 flattened: one folder of both v2 shapes.
    const data = join(dir, "data");
    await mkdir(data);
    const take = (format: string, i: number) =>
      copyFile(join(dir, format, `${archiveName(i)}.zip`), join(data, `${archiveName(i)}.zip`));
    await take("v2-pages", 0);
    await take("v2-pages", 1);
    await take("v2-flat", 2);
    const expectedDir = join(dir, "expected");
    const expected = await deriveExpected([join(dir, "v1")]);
    expect(Number(expected["01_tweets"]?.[0])).toBeGreaterThan(800);
    await writeExpected(expectedDir, expected);

    const env: NodeJS.ProcessEnv = { ...process.env, TWEETLOAD_DATA_DIR: data };
    for (const kind of DB_KINDS) env[targetEnvName(kind)] = targets[kind];
    delete env.TWEETLOAD_DBS;
    await run("sh", [projectPath("scripts", "load_tweets_sequential.sh")], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const { stdout } = await run("sh", [projectPath("check-answers.sh")], {
      env: { ...env, EXPECTED_DIR: expectedDir },
    }).catch((error: { stdout?: string }) => {
      throw new Error(`check-answers.sh failed:\n${error.stdout ?? ""}`);
    });
    expect(stdout).toContain("All answers match expected/.");
    expect(stdout).not.toContain("FAIL");
  });
});
