import { describe, expect, it } from "vitest";
import { DB_KINDS } from "../../../src/db/kinds.js";
import { LOADERS, loaderById, loadersFor } from "../../../src/load/registry.js";

describe("loader registry", () => {
  it.each([false, true])("gives every database a loader of its own kind (batch %s)", (batch) => {
    const chosen = loadersFor(batch);
    for (const kind of DB_KINDS) expect(loaderById(chosen[kind]).kind).toBe(kind);
  });

  it("picks the staged-batch loader for pg_normalized only with --batch", () => {
    expect(loadersFor(false)).toEqual({
      denormalized: "denormalized",
      normalized: "normalized-per-tweet",
      normalized_batch: "normalized-batch-copy",
    });
    expect(loadersFor(true)).toEqual({
      ...loadersFor(false),
      normalized: "normalized-staged-batch",
    });
  });

  // The journal of an existing database holds these names: a renamed loader must keep its
  // own, or a re-run would no longer recognise what it loaded.
  it("keeps the journal names that earlier versions wrote, one per loader", () => {
    const names = Object.fromEntries(
      Object.entries(LOADERS).map(([id, loader]) => [id, loader.journalName]),
    );
    expect(names).toEqual({
      denormalized: "denormalized",
      "normalized-per-tweet": "normalized",
      "normalized-staged-batch": "normalized --batch",
      "normalized-batch-copy": "normalized_batch",
    });
  });
});
