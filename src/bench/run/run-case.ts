import { setTimeout as sleep } from "node:timers/promises";
import { withClient } from "../../db/client.js";
import { countRows } from "../../db/row-counts.js";
import { checkpoint } from "../../db/server-settings.js";
import { DEFAULT_STORAGE } from "../../db/storage-names.js";
import type { CaseContext } from "../cases/case.js";
import { caseKind } from "../cases/registry.js";
import type { DataSource } from "../data/data-sets.js";
import type { Extraction } from "../data/extract.js";
import type { BenchEnvironment, BenchPlan } from "../plan/bench-plan.js";
import { counterDelta, readServerCounters } from "../timing/server-counters.js";
import type { BenchCase, LoaderVariant, Sample } from "../types.js";

/** Rows per table (views left out) of the database at `url`. */
const tableRows = (url: string) => withClient(url, (client) => countRows(client, { views: false }));

/** Runs `work` between two readings of the server's WAL position and commit count. */
async function serverWork<T>(url: string, work: () => Promise<T>) {
  const before = await readServerCounters(url);
  const result = await work();
  // Backends add their commits to the statistics as they exit, just after the client.
  await sleep(200);
  const server = counterDelta(before, await readServerCounters(url));
  return server ? { result, server } : { result };
}

/** One repetition of one case, run by its kind, from freshly reset databases where it loads. */
export function runCase(
  c: BenchCase,
  source: DataSource,
  extraction: Extraction | undefined,
  plan: BenchPlan,
  env: BenchEnvironment,
): Promise<Sample> {
  const ctx: CaseContext = {
    source,
    extraction,
    plan,
    targets: env.targets,
    freshDatabase: async (kind, storage) => {
      const url = env.targets[kind];
      // Every load row measures the storage a new database gets, whatever the server held.
      await env.resetDatabase(
        url,
        kind,
        kind === "denormalized" ? (storage ?? DEFAULT_STORAGE) : undefined,
      );
      await checkpoint(url);
      return url;
    },
    tableRows,
    serverWork,
  };
  return caseKind(c.type).run(c, ctx);
}

/** The case in words, for the progress lines. */
export const describeCase = (c: BenchCase, variants: readonly LoaderVariant[]): string =>
  caseKind(c.type).describe(c, variants);
