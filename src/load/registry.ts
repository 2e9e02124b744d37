import type { DbKind } from "../db/kinds.js";
import { denormalizedLoader } from "./denormalized/denormalized-loader.js";
import type { Loader } from "./loader.js";
import { normalizedLoader } from "./normalized/normalized-loader.js";
import { normalizedBatchCopyLoader } from "./normalized-batch-copy/normalized-batch-copy-loader.js";
import { normalizedStagedBatchLoader } from "./normalized-staged-batch/normalized-staged-batch-loader.js";

/**
 * Every loader by its id. Adding a loader means a line here (and in the choices below when
 * a flag picks it); the runner, the sessions and the worker only pass the id along.
 */
export const LOADERS = {
  denormalized: denormalizedLoader,
  "normalized-per-tweet": normalizedLoader,
  "normalized-staged-batch": normalizedStagedBatchLoader,
  "normalized-batch-copy": normalizedBatchCopyLoader,
} as const satisfies Record<string, Loader>;

/** A loader's id: plain data, so it crosses to a worker thread inside a task. */
export type LoaderId = keyof typeof LOADERS;

/** The loader each database gets unless `load --batch` picks another. */
const DEFAULT_LOADERS: Record<DbKind, LoaderId> = {
  denormalized: "denormalized",
  normalized: "normalized-per-tweet",
  normalized_batch: "normalized-batch-copy",
};

/** What `load --batch` uses instead, for the databases whose default loads tweet by tweet. */
const BATCH_LOADERS: Partial<Record<DbKind, LoaderId>> = {
  normalized: "normalized-staged-batch",
};

/** The loader of each database for a load with or without `--batch`. */
export const loadersFor = (batch = false): Record<DbKind, LoaderId> =>
  batch ? { ...DEFAULT_LOADERS, ...BATCH_LOADERS } : { ...DEFAULT_LOADERS };

export const loaderById = (id: LoaderId): Loader => LOADERS[id];
