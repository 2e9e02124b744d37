import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { projectPath } from "../../src/paths.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";
import { installInProject, packProject } from "./helpers/packed.js";

const run = promisify(execFile);

let dir: string;
let project: string;
const dbs: FreshDatabase[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-package-"));
  project = join(dir, "project");
  await installInProject(project, await packProject(join(dir, "pack")));
}, 240_000);
afterAll(async () => {
  await Promise.all(dbs.map((db) => db.drop()));
  await rm(dir, { recursive: true, force: true });
});

/** The ~10-line program of the README's "Library" section, run in the user's project. */
const PROGRAM = `
import { load, renderSummaryTable } from "tweetload";
const [file, denormalized, normalized, batched] = process.argv.slice(2);
const first = await load({ files: [file], dbs: ["denormalized", "normalized"], targets: { denormalized, normalized } });
const second = await load({ files: [file], dbs: ["normalized"], targets: { normalized: batched }, batched: true, jobs: 2 });
console.error(renderSummaryTable(first));
console.log(JSON.stringify({ first: first.files, second: second.files }));
`;

describe("the packed package, installed into an empty project", () => {
  it("ships dist/ with types and its SQL, and no src/", async () => {
    const installed = join(project, "node_modules", "tweetload");
    const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8"));
    expect(manifest.exports["."].types).toBe("./dist/index.d.ts");
    expect(existsSync(join(installed, "dist", "index.d.ts"))).toBe(true);
    expect(existsSync(join(installed, "dist", "load", "normalized", "load-tweet.sql"))).toBe(true);
    expect(existsSync(join(installed, "src"))).toBe(false);
    const types = await readFile(join(installed, "dist", "index.d.ts"), "utf8");
    for (const name of [
      "load",
      "check",
      "generate",
      "resolveTargets",
      "TweetRows",
      "LoadOptions",
    ]) {
      expect(types).toMatch(new RegExp(`\\b${name}\\b`));
    }
  });

  it("import { load } from 'tweetload' loads a sample file into real databases, every loader's SQL read from dist/", async () => {
    const [denormalized, normalized, batched] = await Promise.all([
      freshDatabase("denormalized"),
      freshDatabase("normalized"),
      freshDatabase("normalized"),
    ]);
    dbs.push(denormalized, normalized, batched);
    await writeFile(join(project, "main.js"), PROGRAM);
    const sample = projectPath("data", "geoTwitter21-01-01.zip");
    const env = { ...process.env };
    for (const name of Object.keys(env)) if (/^(PG|TWEETLOAD_)/.test(name)) delete env[name];
    const { stdout } = await run(
      process.execPath,
      ["main.js", sample, denormalized.url, normalized.url, batched.url],
      { cwd: project, env, maxBuffer: 16 * 1024 * 1024 },
    );
    const { first, second } = JSON.parse(stdout) as Record<
      "first" | "second",
      { db: string; status: string; tweets: number }[]
    >;
    expect([...first, ...second].map((f) => f.status)).toEqual(["loaded", "loaded", "loaded"]);
    const count = (url: string, table: string) =>
      withClient(url, async (c) =>
        Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
      );
    expect(first[0]?.tweets).toBe(await count(denormalized.url, "tweets_jsonb"));
    expect(first[1]?.tweets).toBeGreaterThan(500);
    expect(await count(normalized.url, "tweets")).toBeGreaterThan(500);
    expect(await count(batched.url, "tweets")).toBe(await count(normalized.url, "tweets"));
  }, 120_000);
});
