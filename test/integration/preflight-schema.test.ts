import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { type DbKind, databaseName } from "../../src/db/kinds.js";
import { targetFlagName } from "../../src/db/targets.js";
import { projectPath } from "../../src/paths.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";

let dir: string;
let notAZip: string;
const dbs: Partial<Record<DbKind, FreshDatabase>> = {};
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-preflight-"));
  // Were any file read before the databases are checked, this one would fail as "not a zip".
  notAZip = join(dir, "broken.zip");
  await writeFile(notAZip, "this is not a zip archive\n");
  for (const kind of ["denormalized", "normalized", "normalized_batch"] as const) {
    dbs[kind] = await freshDatabase(kind);
  }
});
afterAll(async () => {
  await Promise.all(Object.values(dbs).map((db) => db.drop()));
  await rm(dir, { recursive: true, force: true });
});

/** `tweetload load --db <loader>` with the loader's URL pointing at the database of `actual`. */
function loadInto(loader: DbKind, actual: DbKind) {
  const url = dbs[actual]?.url ?? "";
  const run = spawnSync(
    process.execPath,
    [
      projectPath("bin", "tweetload.js"),
      "load",
      "--db",
      loader,
      `--${targetFlagName(loader)}`,
      url,
      "-j",
      "1",
      notAZip,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("pre-flight: each database must hold the schema of the loader aimed at it", () => {
  it.each([
    ["denormalized", "normalized"],
    ["denormalized", "normalized_batch"],
    ["normalized", "denormalized"],
    ["normalized", "normalized_batch"],
    ["normalized_batch", "normalized"],
    ["normalized_batch", "denormalized"],
  ] as const)(
    "the %s loader at a %s database: one sentence, before any file is read",
    async (loader, actual) => {
      const run = loadInto(loader, actual);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain(
        `it holds the schema of ${databaseName(actual)}, not of ${databaseName(loader)}: point the ${loader} URL at the ${databaseName(loader)} database`,
      );
      expect(run.stderr).not.toMatch(/does not exist|not a readable zip/);
      const journal = await withClient(dbs[actual]?.url ?? "", (client) =>
        client.query<{ n: string }>("SELECT count(*) AS n FROM tweetload.journal"),
      );
      expect(journal.rows[0]?.n).toBe("0");
    },
  );

  it("a database with none of the schemas is named as such", async () => {
    const empty = await freshDatabase("denormalized");
    try {
      await withClient(empty.url, (client) => client.query("DROP TABLE tweets_jsonb CASCADE"));
      const run = spawnSync(
        process.execPath,
        [
          projectPath("bin", "tweetload.js"),
          "load",
          "--db",
          "denormalized",
          "--denormalized-url",
          empty.url,
          notAZip,
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/it holds none of tweetload's schemas/);
    } finally {
      await empty.drop();
    }
  });

  it("the right database passes the pre-flight (and then the broken file fails on its own)", () => {
    const run = loadInto("denormalized", "denormalized");
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/broken\.zip.*not a readable zip/);
  });
});

describe("pre-flight: a pg_normalized made before the user-snapshot function", () => {
  it("is refused in one sentence, and loads once the schema is applied again (rows kept)", async () => {
    const old = await freshDatabase("normalized");
    try {
      await withClient(old.url, (client) =>
        client.query(
          "DROP FUNCTION tweetload_snapshot_rank(boolean, timestamptz, bigint); DROP TYPE tweetload_snapshot_rank",
        ),
      );
      const sample = projectPath("data");
      const load = () =>
        spawnSync(
          process.execPath,
          [
            projectPath("bin", "tweetload.js"),
            "load",
            "--db",
            "normalized",
            "--normalized-url",
            old.url,
            "-j",
            "1",
            sample,
          ],
          { encoding: "utf8", timeout: 120_000 },
        );
      const refused = load();
      expect(refused.status).toBe(1);
      expect(refused.stderr).toMatch(/no user-snapshot function.*apply the schema again/);
      const init = spawnSync(
        process.execPath,
        [
          projectPath("bin", "tweetload.js"),
          "db",
          "init",
          "--db",
          "normalized",
          "--normalized-url",
          old.url,
        ],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(init.stderr).toBe("");
      expect(init.status).toBe(0);
      const loaded = load();
      expect(loaded.stderr).not.toMatch(/snapshot|does not exist/);
      expect(loaded.status).toBe(0);
      const held = await withClient(old.url, (client) =>
        client.query<{ n: string }>("SELECT count(*) AS n FROM tweets"),
      );
      expect(Number(held.rows[0]?.n)).toBeGreaterThan(0);
    } finally {
      await old.drop();
    }
  });
});
