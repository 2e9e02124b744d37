import { DB_KINDS, type DbKind, type Targets } from "../../../src/db/kinds.js";
import { type LoaderId, loadersFor } from "../../../src/load/registry.js";
import { freshDatabase, freshTargets } from "./database.js";

/** One loader the tests run: the database it fills and whether `load --batch` picks it. */
export interface TestLoader {
  /** What test names show (`$name`): the loader's id. */
  name: LoaderId;
  loader: LoaderId;
  db: DbKind;
  /** True for the loader `--batch` puts in place of the database's default. */
  batched: boolean;
}

/**
 * Every loader once, read from the registry: a test that must hold for each of them loops
 * over this list (as kysely loops its tests over one list of dialects), so a loader added
 * to the registry is tested by every such test without a test naming it.
 */
export const TEST_LOADERS: readonly TestLoader[] = DB_KINDS.flatMap((db) => {
  const plain = loadersFor(false)[db];
  const batched = loadersFor(true)[db];
  const one = { name: plain, loader: plain, db, batched: false };
  return plain === batched ? [one] : [one, { name: batched, loader: batched, db, batched: true }];
});

/** One load that, with the others of `freshLoadRuns`, runs every loader once. */
export interface LoadRun {
  /** `load --batch` or not. */
  batched: boolean;
  /** The databases this load fills: all of them, or those whose loader `--batch` changes. */
  dbs: readonly DbKind[];
  targets: Targets;
}

/**
 * Fresh databases for every loader: one load into all three databases without `--batch`,
 * then one with `--batch` into a second database of each kind whose loader it changes (the
 * first keeps the default loader's rows to compare with).
 */
export async function freshLoadRuns(): Promise<{ runs: LoadRun[]; drop(): Promise<void> }> {
  const fresh = await freshTargets();
  const batchedKinds = [...new Set(TEST_LOADERS.filter((l) => l.batched).map((l) => l.db))];
  const seconds = await Promise.all(batchedKinds.map((kind) => freshDatabase(kind)));
  const second: Partial<Targets> = Object.fromEntries(
    batchedKinds.map((kind, i) => [kind, seconds[i]?.url]),
  );
  return {
    runs: [
      { batched: false, dbs: DB_KINDS, targets: fresh.targets },
      { batched: true, dbs: batchedKinds, targets: { ...fresh.targets, ...second } },
    ],
    drop: async () => {
      await Promise.all([fresh.drop(), ...seconds.map((s) => s.drop())]);
    },
  };
}
