import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { inTransaction } from "../../src/db/transaction.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";

describe("inTransaction: BEGIN, the work, COMMIT; ROLLBACK when it throws", () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshDatabase("normalized_batch");
    await withClient(db.url, (c) => c.query("CREATE TABLE scratch (i integer PRIMARY KEY)"));
  });
  afterAll(async () => {
    await db?.drop();
  });
  const count = (i: number) =>
    withClient(db.url, async (c) => {
      const { rows } = await c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM scratch WHERE i = $1",
        [i],
      );
      return rows[0]?.n;
    });

  it("commits what the work wrote, with `first` and `last` in the transaction", async () => {
    await withClient(db.url, async (c) => {
      const made = await inTransaction(c, () => c.query("INSERT INTO scratch VALUES (2)"), {
        first: "INSERT INTO scratch VALUES (1)",
        last: "INSERT INTO scratch VALUES (3) -- a comment at the end",
      });
      expect(made.rowCount).toBe(1);
    });
    expect([await count(1), await count(2), await count(3)]).toEqual([1, 1, 1]);
  });

  it("rolls back when the work throws, and throws its error on; the connection goes on", async () => {
    await withClient(db.url, async (c) => {
      const work = inTransaction(c, async () => {
        await c.query("INSERT INTO scratch VALUES (10)");
        throw new Error("the work failed");
      });
      await expect(work).rejects.toThrow("the work failed");
      const { rows } = await c.query<{ s: string }>("SELECT 'idle' AS s");
      expect(rows[0]?.s).toBe("idle");
    });
    expect(await count(10)).toBe(0);
  });

  it("a `last` that fails skips the COMMIT: nothing of the transaction stays", async () => {
    await withClient(db.url, async (c) => {
      const work = inTransaction(c, () => c.query("INSERT INTO scratch VALUES (20)"), {
        last: "INSERT INTO scratch VALUES (20)",
      });
      await expect(work).rejects.toThrow(/duplicate key/);
    });
    expect(await count(20)).toBe(0);
  });

  it("a rollback that fails (its backend terminated) does not hide the work's error", async () => {
    await withClient(db.url, async (c) => {
      const work = inTransaction(c, async () => {
        await c.query("INSERT INTO scratch VALUES (30)");
        const { rows } = await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
        await withClient(db.url, (admin) =>
          admin.query("SELECT pg_terminate_backend($1, 5000)", [rows[0]?.pid]),
        );
        throw new Error("the work failed first");
      });
      await expect(work).rejects.toThrow("the work failed first");
    });
    expect(await count(30)).toBe(0);
  });
});
