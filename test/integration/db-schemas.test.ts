import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import type { DbKind } from "../../src/db/kinds.js";
import {
  applySchema,
  detectGeoMode,
  refreshMaterializedViews,
  resetDatabase,
} from "../../src/db/schema.js";
import { type FreshDatabase, freshDatabase } from "./helpers/database.js";

const made: FreshDatabase[] = [];
async function fresh(kind: DbKind): Promise<FreshDatabase> {
  const db = await freshDatabase(kind);
  made.push(db);
  return db;
}
afterAll(async () => {
  await Promise.all(made.map((db) => db.drop()));
});

type Query = <R extends object>(sql: string, values?: unknown[]) => Promise<R[]>;
const query =
  (url: string): Query =>
  (sql, values) =>
    withClient(url, async (c) => (await c.query(sql, values)).rows);

/** "table.column: type" for every column of the schema's base tables. */
async function columns(q: Query): Promise<string[]> {
  const rows = await q<{ c: string }>(
    `SELECT format('%s.%s: %s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod)) AS c
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
        AND c.relname <> 'spatial_ref_sys'
      ORDER BY c.relname, a.attnum`,
  );
  return rows.map((r) => r.c);
}

/** Constraints as "table KIND definition", sorted. */
async function constraints(q: Query): Promise<string[]> {
  const rows = await q<{ c: string }>(
    `SELECT format('%s %s %s', conrelid::regclass, contype, pg_get_constraintdef(oid)) AS c
       FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f')
        AND conrelid::regclass::text <> 'spatial_ref_sys'
      ORDER BY 1`,
  );
  return rows.map((r) => r.c.replace(/ DEFERRABLE$/, ""));
}

/** Index definitions without their names, sorted. */
async function indexes(q: Query): Promise<string[]> {
  const rows = await q<{ d: string }>(
    `SELECT regexp_replace(indexdef, '^CREATE (UNIQUE )?INDEX \\S+ ON (public\\.)?', '\\1') AS d
       FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'spatial_ref_sys' ORDER BY 1`,
  );
  return rows.map((r) => r.d);
}

const geoType = (mode: string) => (mode === "postgis" ? "geometry(Geometry,4326)" : "text");

function tweetColumns(geo: string): string[] {
  return [
    "tweets.id_tweets: bigint",
    "tweets.id_users: bigint",
    "tweets.created_at: timestamp with time zone",
    "tweets.in_reply_to_status_id: bigint",
    "tweets.in_reply_to_user_id: bigint",
    "tweets.quoted_status_id: bigint",
    "tweets.retweet_count: integer",
    "tweets.favorite_count: integer",
    "tweets.quote_count: integer",
    "tweets.withheld_copyright: boolean",
    "tweets.withheld_in_countries: character varying(2)[]",
    "tweets.source: text",
    "tweets.text: text",
    "tweets.country_code: character varying(2)",
    "tweets.state_code: character varying(2)",
    "tweets.lang: text",
    "tweets.place_name: text",
    `tweets.geo: ${geo}`,
  ];
}

function userColumns(url: string): string[] {
  return [
    "users.id_users: bigint",
    "users.created_at: timestamp with time zone",
    "users.updated_at: timestamp with time zone",
    url,
    "users.friends_count: integer",
    "users.listed_count: integer",
    "users.favourites_count: integer",
    "users.statuses_count: integer",
    "users.protected: boolean",
    "users.verified: boolean",
    "users.screen_name: text",
    "users.name: text",
    "users.location: text",
    "users.description: text",
    "users.withheld_in_countries: character varying(2)[]",
    // Beyond the contract's columns: where the snapshot came from (the rule needs the tweet id).
    "users.snapshot_tweet_id: bigint",
    "users.hydrated: boolean",
  ];
}

describe("pg_normalized", () => {
  let db: FreshDatabase;
  let q: Query;
  beforeAll(async () => {
    db = await fresh("normalized");
    q = query(db.url);
  });

  it("has the tables and column types of the data contract", async () => {
    expect(await columns(q)).toEqual([
      "tweet_media.id_tweets: bigint",
      "tweet_media.id_urls: bigint",
      "tweet_media.type: text",
      "tweet_mentions.id_tweets: bigint",
      "tweet_mentions.id_users: bigint",
      "tweet_tags.id_tweets: bigint",
      "tweet_tags.tag: text",
      "tweet_urls.id_tweets: bigint",
      "tweet_urls.id_urls: bigint",
      ...tweetColumns(geoType(db.geoMode)),
      // The load each tweet came from (`load --replace`); links go with their tweet.
      "tweets.load_id: bigint",
      "urls.id_urls: bigint",
      "urls.url: text",
      ...userColumns("users.id_urls: bigint"),
    ]);
  });

  it("keeps every primary key, the unique url and every foreign key", async () => {
    expect(await constraints(q)).toEqual([
      "tweet_media f FOREIGN KEY (id_tweets) REFERENCES tweets(id_tweets)",
      "tweet_media f FOREIGN KEY (id_urls) REFERENCES urls(id_urls)",
      "tweet_media p PRIMARY KEY (id_tweets, id_urls)",
      "tweet_mentions f FOREIGN KEY (id_tweets) REFERENCES tweets(id_tweets)",
      "tweet_mentions f FOREIGN KEY (id_users) REFERENCES users(id_users)",
      "tweet_mentions p PRIMARY KEY (id_tweets, id_users)",
      "tweet_tags f FOREIGN KEY (id_tweets) REFERENCES tweets(id_tweets)",
      "tweet_tags p PRIMARY KEY (id_tweets, tag)",
      "tweet_urls f FOREIGN KEY (id_tweets) REFERENCES tweets(id_tweets)",
      "tweet_urls f FOREIGN KEY (id_urls) REFERENCES urls(id_urls)",
      "tweet_urls p PRIMARY KEY (id_tweets, id_urls)",
      "tweets f FOREIGN KEY (id_users) REFERENCES users(id_users)",
      "tweets f FOREIGN KEY (in_reply_to_user_id) REFERENCES users(id_users)",
      "tweets p PRIMARY KEY (id_tweets)",
      "urls p PRIMARY KEY (id_urls)",
      "urls u UNIQUE (url)",
      "users f FOREIGN KEY (id_urls) REFERENCES urls(id_urls)",
      "users p PRIMARY KEY (id_users)",
    ]);
  });

  it("rejects a duplicate key, a duplicate url and a dangling reference", async () => {
    await q("INSERT INTO users (id_users) VALUES (1)");
    await expect(q("INSERT INTO users (id_users) VALUES (1)")).rejects.toMatchObject({
      code: "23505",
    });
    await q("INSERT INTO urls (url) VALUES ('https://a.example')");
    await expect(q("INSERT INTO urls (url) VALUES ('https://a.example')")).rejects.toMatchObject({
      code: "23505",
    });
    await expect(
      q("INSERT INTO tweets (id_tweets, id_users) VALUES (10, 2)"),
    ).rejects.toMatchObject({
      code: "23503",
    });
    await expect(q("INSERT INTO tweet_tags VALUES (99, '#x')")).rejects.toMatchObject({
      code: "23503",
    });
  });

  it("has the secondary indexes", async () => {
    const expected = [
      "tweet_mentions USING btree (id_users)",
      "tweet_tags USING btree (id_tweets)",
      "tweets USING gin (withheld_in_countries)",
    ];
    if (db.geoMode === "postgis") expected.push("tweets USING gist (geo)");
    expect((await indexes(q)).filter((d) => !d.startsWith("UNIQUE"))).toEqual(expected.sort());
  });
});

describe("pg_normalized_batch", () => {
  let db: FreshDatabase;
  let q: Query;
  beforeAll(async () => {
    db = await fresh("normalized_batch");
    q = query(db.url);
  });

  it("has the normalized columns with url text in place of id_urls, and no urls table", async () => {
    expect(await columns(q)).toEqual([
      "tweet_media.id_tweets: bigint",
      "tweet_media.url: text",
      "tweet_media.type: text",
      // Without keys, every row carries the load it came from (`load --replace`).
      "tweet_media.load_id: bigint",
      "tweet_mentions.id_tweets: bigint",
      "tweet_mentions.id_users: bigint",
      "tweet_mentions.load_id: bigint",
      "tweet_tags.id_tweets: bigint",
      "tweet_tags.tag: text",
      "tweet_tags.load_id: bigint",
      "tweet_urls.id_tweets: bigint",
      "tweet_urls.url: text",
      "tweet_urls.load_id: bigint",
      ...tweetColumns(geoType(db.geoMode)),
      "tweets.load_id: bigint",
      ...userColumns("users.url: text"),
      "users.load_id: bigint",
    ]);
  });

  it("has no primary key, unique or foreign key constraint and no unique index", async () => {
    expect(await constraints(q)).toEqual([]);
    expect((await indexes(q)).filter((d) => d.startsWith("UNIQUE"))).toEqual([]);
  });

  it("keeps the secondary indexes of pg_normalized", async () => {
    const expected = [
      "tweet_mentions USING btree (id_users)",
      "tweet_tags USING btree (id_tweets)",
      "tweets USING gin (withheld_in_countries)",
    ];
    if (db.geoMode === "postgis") expected.push("tweets USING gist (geo)");
    expect(await indexes(q)).toEqual(expected.sort());
  });

  it("takes repeated rows, and the tag totals count each tweet once", async () => {
    await q("INSERT INTO tweet_tags VALUES (1, '#a'), (1, '#a'), (2, '#a'), (2, '#b'), (2, '#b')");
    await q("INSERT INTO tweets (id_tweets) VALUES (1), (1)");
    await withClient(db.url, (c) => refreshMaterializedViews(c));
    expect(await q("SELECT row::int, tag, total::int FROM tweet_tags_total ORDER BY row")).toEqual([
      { row: 1, tag: "#a", total: 2 },
      { row: 2, tag: "#b", total: 1 },
    ]);
    expect(
      await q("SELECT tag1, tag2, total::int FROM tweet_tags_cooccurrence ORDER BY tag1, tag2"),
    ).toEqual([
      { tag1: "#a", tag2: "#a", total: 2 },
      { tag1: "#a", tag2: "#b", total: 1 },
      { tag1: "#b", tag2: "#a", total: 1 },
      { tag1: "#b", tag2: "#b", total: 1 },
    ]);
  });
});

describe("geo mode", () => {
  it("is postgis exactly when the server has PostGIS, and geo holds SRID 4326 there", async () => {
    for (const kind of ["normalized", "normalized_batch"] as const) {
      const db = await fresh(kind);
      const q = query(db.url);
      const [{ available }] = await q<{ available: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS available",
      );
      expect(db.geoMode).toBe(available ? "postgis" : "text");
      expect(await withClient(db.url, detectGeoMode)).toBe(db.geoMode);
      if (db.geoMode === "postgis") {
        await q("INSERT INTO tweets (id_tweets, geo) VALUES (1, 'SRID=4326;POINT(-73.5 40.25)')");
        expect(await q("SELECT ST_SRID(geo) AS srid, ST_AsText(geo) AS wkt FROM tweets")).toEqual([
          { srid: 4326, wkt: "POINT(-73.5 40.25)" },
        ]);
      } else {
        await q("INSERT INTO tweets (id_tweets, geo) VALUES (1, 'POINT(-73.5 40.25)')");
        expect(await q("SELECT geo FROM tweets")).toEqual([{ geo: "POINT(-73.5 40.25)" }]);
      }
    }
  });
});

describe("applySchema and resetDatabase", () => {
  it("applying a schema again changes nothing, and a reset empties the database", async () => {
    for (const kind of ["denormalized", "normalized", "normalized_batch"] as const) {
      const db = await fresh(kind);
      const q = query(db.url);
      const before = { columns: await columns(q), indexes: await indexes(q) };
      await withClient(db.url, (c) => applySchema(c, kind));
      expect({ columns: await columns(q), indexes: await indexes(q) }).toEqual(before);

      const table = kind === "denormalized" ? "tweets_jsonb" : "tweets";
      const row = kind === "denormalized" ? `('{"id": 1, "user": {"id": 2}}')` : "(1)";
      await q(`INSERT INTO ${table} VALUES ${row}`);
      await resetDatabase(db.url, kind);
      expect(await q(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 0 }]);
      expect({ columns: await columns(q), indexes: await indexes(q) }).toEqual(before);
      expect(await withClient(db.url, detectGeoMode)).toBe(db.geoMode);
    }
  });
});
