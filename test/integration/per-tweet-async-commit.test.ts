import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectClient } from "../../src/db/connection-config.js";
import { connectLoader } from "../../src/load/connect-loader.js";
import { recordLoadDurably } from "../../src/load/journal-durable.js";
import { normalizedLoader } from "../../src/load/normalized/normalized-loader.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";

/**
 * The per-tweet loader commits its tweets without waiting for the WAL flush; the journal
 * row that says a file is loaded must still be flushed when the loader reports it, and
 * with it every tweet committed before (WAL is one ordered stream).
 */
describe("per-tweet loader: asynchronous tweet commits, synchronous journal row", () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase("normalized");
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("a session of the per-tweet loader commits with synchronous_commit off", async () => {
    const client = await connectLoader(db.url, normalizedLoader);
    try {
      await normalizedLoader.setup?.(client);
      await normalizedLoader.open(client, { batchSize: 1000 });
      const { rows } = await client.query<{ s: string }>(
        "SELECT current_setting('synchronous_commit') AS s",
      );
      expect(rows[0]?.s).toBe("off");
    } finally {
      await client.end();
    }
  });

  it("the journal row's commit flushes the WAL of the asynchronous commits before it, and leaves the session asynchronous", async () => {
    const client = await connectClient(db.url);
    try {
      await client.query("CREATE TABLE scratch (i integer)");
      await client.query("SET synchronous_commit = off");
      for (let i = 0; i < 50; i++) await client.query("INSERT INTO scratch VALUES ($1)", [i]);
      const { rows: before } = await client.query<{ lsn: string }>(
        "SELECT pg_current_wal_insert_lsn()::text AS lsn",
      );
      // What the server's setting is when the journal row's COMMIT is sent: asked on the
      // same connection, inside that transaction.
      const atCommit: string[] = [];
      const watched = new Proxy(client, {
        get(target, key) {
          if (key !== "query") return Reflect.get(target, key);
          return async (...args: Parameters<typeof client.query>) => {
            if (args[0] === "COMMIT") {
              const { rows } = await target.query<{ s: string; tx: boolean }>(
                "SELECT current_setting('synchronous_commit') AS s, now() = statement_timestamp() AS tx",
              );
              atCommit.push(`${rows[0]?.s} ${rows[0]?.tx ? "outside" : "inside"} a transaction`);
            }
            return (target.query as (...a: unknown[]) => unknown)(...args);
          };
        },
      });
      await recordLoadDurably(
        watched,
        {
          fileName: "a.zip",
          path: "/nowhere/a.zip",
          size: 1,
          contentHash: "00",
          loadId: "7",
          stamp: "",
          loader: "normalized",
        },
        { tweets: 50, rejects: 0 },
      );
      const { rows } = await client.query<{ flushed: boolean; s: string }>(
        `SELECT pg_current_wal_flush_lsn() >= $1::pg_lsn AS flushed,
                current_setting('synchronous_commit') AS s`,
        [before[0]?.lsn],
      );
      expect(atCommit).toEqual(["on inside a transaction"]);
      expect(rows[0]).toEqual({ flushed: true, s: "off" });
      const journal = await client.query(
        "SELECT tweets::int FROM tweetload.journal WHERE path = '/nowhere/a.zip'",
      );
      expect(journal.rows).toEqual([{ tweets: 50 }]);
    } finally {
      await client.end();
    }
  });
});
