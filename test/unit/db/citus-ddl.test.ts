import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { distributionPath } from "../../../src/db/citus.js";
import { checkShardCount } from "../../../src/db/citus-shards.js";
import { DB_KINDS, type DbKind } from "../../../src/db/kinds.js";
import { schemaFiles } from "../../../src/db/schema.js";

interface Distributed {
  table: string;
  column: string;
  colocateWith: string;
}

/** The create_distributed_table calls of a distribution file, in order. */
async function distributed(kind: DbKind): Promise<Distributed[]> {
  const sql = await readFile(distributionPath(kind), "utf8");
  const calls = sql.matchAll(
    /create_distributed_table\('(\w+)', '(\w+)', colocate_with => '(\w+)'\)/g,
  );
  return [...calls].map(([, table, column, colocateWith]) => ({
    table: table as string,
    column: column as string,
    colocateWith: colocateWith as string,
  }));
}

/** The tables the plain schema files of a database create in the public schema. */
async function plainTables(kind: DbKind): Promise<string[]> {
  const texts = await Promise.all(schemaFiles(kind).map((path) => readFile(path, "utf8")));
  const sql = texts.join("\n");
  return [...sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+(?:\.\w+)?) \(/g)]
    .map((m) => m[1] as string)
    .filter((name) => !name.includes("."));
}

const TWEET_TABLES = ["tweets", "tweet_urls", "tweet_mentions", "tweet_tags", "tweet_media"];

describe("the Citus distribution files (services/citus/pg_<db>.sql)", () => {
  it.each(DB_KINDS)(
    "distributes every table of pg_%s's schema, the journal excepted",
    async (kind) => {
      const tables = (await distributed(kind)).map((d) => d.table).sort();
      expect(tables).toEqual((await plainTables(kind)).sort());
    },
  );

  it.each(["normalized", "normalized_batch"] as const)(
    "co-locates the tweet tables of pg_%s on id_tweets, and users on id_users",
    async (kind) => {
      const layout = await distributed(kind);
      const of = (table: string) => layout.find((d) => d.table === table);
      expect(of("tweets")).toEqual({ table: "tweets", column: "id_tweets", colocateWith: "none" });
      for (const table of TWEET_TABLES.slice(1)) {
        expect(of(table)).toEqual({ table, column: "id_tweets", colocateWith: "tweets" });
      }
      expect(of("users")?.column).toBe("id_users");
      // tweets first: a co-located table names a distributed one.
      expect(layout[0]?.table).toBe("tweets");
    },
  );

  it("distributes pg_normalized's urls by their hashed id, with no reference table to commit on every node", async () => {
    const sql = await readFile(distributionPath("normalized"), "utf8");
    const urls = (await distributed("normalized")).find((d) => d.table === "urls");
    expect(urls?.column).toBe("id_urls");
    expect(sql).not.toMatch(/create_reference_table/);
    expect(sql).toMatch(/FUNCTION tweetload_url_id\(url text\) RETURNS bigint/);
    expect(sql).toMatch(/DROP DEFAULT/);
  });

  it("distributes denormalized tweets_jsonb by an id_tweets column checked against the document", async () => {
    const sql = await readFile(distributionPath("denormalized"), "utf8");
    expect(await distributed("denormalized")).toEqual([
      { table: "tweets_jsonb", column: "id_tweets", colocateWith: "none" },
    ]);
    expect(sql).toMatch(/ADD COLUMN IF NOT EXISTS id_tweets BIGINT/);
    expect(sql).toMatch(/ADD CONSTRAINT tweets_jsonb_id_matches CHECK/);
  });

  it("drops the materialized views before distributing (the schema makes them again)", async () => {
    for (const kind of ["normalized", "normalized_batch"] as const) {
      const sql = await readFile(distributionPath(kind), "utf8");
      const drop = sql.indexOf("DROP MATERIALIZED VIEW IF EXISTS tweet_tags_total");
      expect(drop).toBeGreaterThan(-1);
      expect(drop).toBeLessThan(sql.indexOf("create_distributed_table"));
    }
  });
});

describe("--shards", () => {
  it.each([1, 2, 32, 1024])("accepts %i", (n) => {
    expect(checkShardCount(n)).toBe(n);
  });
  it.each([0, -1, 1.5, 1025, Number.NaN])(
    "refuses %s with a sentence that says what to do",
    (n) => {
      expect(() => checkShardCount(n)).toThrow(
        /--shards must be a whole number from 1 to 1024 .*leave it out/,
      );
    },
  );
});
