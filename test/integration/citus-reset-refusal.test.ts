import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { projectPath } from "../../src/paths.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";

const run = promisify(execFile);

describe("db reset --citus on a server without Citus", () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase("normalized_batch");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("db reset --citus on a plain server refuses before dropping anything (it wiped the data, then failed)", async () => {
    await withClient(db.url, (c) => c.query("INSERT INTO tweets (id_tweets) VALUES (42)"));
    const failed = await run(
      "node",
      [
        projectPath("bin", "tweetload.js"),
        "db",
        "reset",
        "--citus",
        "--yes",
        "--db",
        "normalized_batch",
        "--normalized-batch-url",
        db.url,
      ],
      { env: { ...process.env, TWEETLOAD_HOME: "/nonexistent-tweetload-home" } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failed && failed.code).toBe(1);
    expect((failed as { stderr: string }).stderr).toMatch(
      /cannot reset pg_normalized_batch .*is not a Citus coordinator: its postgres database has no citus extension/,
    );
    const rows = await withClient(db.url, (c) => c.query("SELECT id_tweets FROM tweets"));
    expect(rows.rows).toEqual([{ id_tweets: "42" }]);
  });
});
