import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadQueries } from "../../src/check/queries.js";
import { queryRows, withCheckClient } from "../../src/check/run-query.js";
import { withClient } from "../../src/db/client.js";
import { resetDatabase } from "../../src/db/schema.js";
import {
  DEFAULT_STORAGE,
  detectStorage,
  type Storage,
  serverStorages,
} from "../../src/db/storage.js";
import { loadersFor } from "../../src/load/registry.js";
import { projectPath } from "../../src/paths.js";
import { runLoad } from "../../src/run/run-load.js";
import type { FileReport } from "../../src/run/types.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";

const SAMPLE = projectPath("data", "geoTwitter21-01-01.zip");

/** The sample's first tweets, a tweet too long to stay inline, and lines every loader rejects. */
async function mixedFile(dir: string): Promise<string> {
  const { execFileSync } = await import("node:child_process");
  const lines = execFileSync("unzip", ["-p", SAMPLE], { encoding: "utf8", maxBuffer: 64 << 20 })
    .trim()
    .split("\n");
  const long = JSON.parse(lines[0] as string);
  long.id_str = "770000001";
  long.id = 770000001;
  // 20,000 bytes of text no storage keeps inline: it is compressed (or moved out) in all.
  long.user.description = "pad ".repeat(5000);
  const bad = [
    '{"created_at":"Fri Jan 01 12:00:00 +0000 2021","id":1,"text":"no author"}',
    "not json",
    lines[1]?.replace('"retweet_count":', '"retweet_count":0.5,"x":') ?? "",
  ];
  const path = join(dir, "mixed.jsonl");
  await writeFile(path, `${[...lines.slice(0, 200), JSON.stringify(long), ...bad].join("\n")}\n`);
  return path;
}

interface Loaded {
  report: FileReport;
  rejects: string[];
  answers: string[][];
}

async function loadInto(url: string, file: string, rejectsDir: string): Promise<Loaded> {
  const result = await runLoad({
    files: [file],
    dbs: ["denormalized"],
    targets: { denormalized: url },
    jobs: 1,
    batchSize: 100,
    loaders: loadersFor(false),
    rejectsDir,
    maxRejects: "100%",
  });
  const report = result.files[0] as FileReport;
  const text = report.rejectsFile ? await readFile(report.rejectsFile, "utf8") : "";
  const rejects = text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const { lineNo, error } = JSON.parse(line);
      return `${lineNo}: ${error}`;
    });
  const queries = await loadQueries();
  const answers = await withCheckClient(url, async (client) => {
    const all: string[][] = [];
    for (const query of queries) all.push(await queryRows(client, query.sql));
    return all;
  });
  return { report, rejects, answers };
}

describe("pg_denormalized's storage choices", () => {
  const databases: FreshDatabase[] = [];
  let dir: string;
  let file: string;
  const loaded = new Map<Storage, Loaded>();
  // Every storage the test server can give: lz4 where it is built with lz4 (Debian's
  // PostgreSQL 15), not on the embedded PostgreSQL 17 (see the last test).
  let storages: Storage[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tweetload-storage-"));
    file = await mixedFile(dir);
    const probe = await freshDatabase("denormalized");
    databases.push(probe);
    storages = await withClient(probe.url, serverStorages);
    for (const storage of storages) {
      const db = await freshDatabase("denormalized");
      databases.push(db);
      await resetDatabase(db.url, "denormalized", storage);
      loaded.set(storage, await loadInto(db.url, file, join(dir, storage)));
    }
  });
  afterAll(async () => {
    for (const db of databases) await db.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("each storage is what the table holds, a new database has the default", async () => {
    const found = [];
    for (const db of databases) found.push(await withClient(db.url, detectStorage));
    // The first is the untouched probe: a new database.
    expect(found).toEqual([DEFAULT_STORAGE, ...storages]);
  });

  it("every storage gives the same checker answers and the same rejects", () => {
    const first = loaded.get(storages[0] as Storage) as Loaded;
    expect(first.report).toMatchObject({ status: "loaded", tweets: 201, rejects: 3 });
    expect(first.rejects).toHaveLength(3);
    expect(first.answers.flat().length).toBeGreaterThan(10);
    expect(storages.length).toBeGreaterThanOrEqual(2);
    for (const storage of storages.slice(1)) {
      const other = loaded.get(storage) as Loaded;
      expect({ ...other.report, seconds: 0, tweetsPerSecond: 0, rejectsFile: "" }, storage).toEqual(
        { ...first.report, seconds: 0, tweetsPerSecond: 0, rejectsFile: "" },
      );
      expect(other.rejects, storage).toEqual(first.rejects);
      expect(other.answers, storage).toEqual(first.answers);
    }
  });

  it("a reset without a storage keeps the table's; a table made before storage was a choice is pglz", async () => {
    const db = databases[1 + storages.indexOf("pglz")] as FreshDatabase;
    const other = storages.at(-1) as Storage;
    await resetDatabase(db.url, "denormalized", other);
    await resetDatabase(db.url, "denormalized");
    expect(await withClient(db.url, detectStorage)).toBe(other);
    // The table as earlier versions of the schema made it: no reloptions, no compression.
    await withClient(db.url, (c) =>
      c.query(`DROP TABLE tweets_jsonb CASCADE;
               CREATE TABLE tweets_jsonb (data JSONB NOT NULL);`),
    );
    expect(await withClient(db.url, detectStorage)).toBe("pglz");
    await resetDatabase(db.url, "denormalized");
    expect(await withClient(db.url, detectStorage)).toBe("pglz");
    const again = await loadInto(db.url, file, join(dir, "again"));
    expect(again.answers).toEqual(loaded.get("pglz")?.answers);
  });

  it("the schema turns JIT off for the database's new sessions, in every storage", async () => {
    const jit = (url: string) =>
      withClient(url, async (c) => (await c.query("SHOW jit")).rows[0].jit);
    for (const db of databases.slice(1)) expect(await jit(db.url)).toBe("off");
  });

  it("lz4 where the server has it; a server without it refuses lz4, says what to choose, and keeps the database as it was", async () => {
    const db = databases[1 + storages.indexOf("inline")] as FreshDatabase;
    const count = () =>
      withClient(
        db.url,
        async (c) => (await c.query("SELECT count(*)::int AS n FROM tweets_jsonb")).rows[0].n,
      );
    const before = await count();
    expect(before).toBe(201);
    const reset = resetDatabase(db.url, "denormalized", "lz4");
    if (storages.includes("lz4")) {
      await reset;
      expect(await withClient(db.url, detectStorage)).toBe("lz4");
      return;
    }
    await expect(reset).rejects.toThrow(/built without lz4; choose --storage inline or pglz/);
    expect(await count()).toBe(before);
    expect(await withClient(db.url, detectStorage)).toBe("inline");
  });
});
