import { afterAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { detectGeoMode } from "../../src/db/schema.js";
import { freshDatabase } from "./helpers/database.js";

describe("fresh databases", () => {
  const made: Array<{ drop(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(made.map((db) => db.drop()));
  });

  it("are separate clones of the template that carry the schema", async () => {
    const a = await freshDatabase("normalized_batch");
    const b = await freshDatabase("normalized_batch");
    made.push(a, b);
    expect(a.url).not.toBe(b.url);
    await withClient(a.url, (c) => c.query("INSERT INTO tweet_tags VALUES (1, '#a')"));
    const counts = await withClient(b.url, async (c) => {
      expect(await detectGeoMode(c)).toBe(b.geoMode);
      return (await c.query("SELECT count(*)::int AS n FROM tweet_tags")).rows[0].n;
    });
    expect(counts).toBe(0);
  });
});
