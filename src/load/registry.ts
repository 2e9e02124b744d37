import type { DbKind } from "../db/kinds.js";
import { denormalizedLoader } from "./denormalized/denormalized-loader.js";
import type { Loader } from "./loader.js";
import { normalizedLoader } from "./normalized/normalized-loader.js";
import { normalizedBatchLoader } from "./normalized-batch/normalized-batch-loader.js";
import { normalizedBatchedLoader } from "./normalized-batched/normalized-batched-loader.js";

/** The loader of each database kind. Adding a database means adding a line here. */
export const LOADERS: Record<DbKind, Loader> = {
  denormalized: denormalizedLoader,
  normalized: normalizedLoader,
  normalized_batch: normalizedBatchLoader,
};

/** Loaders `load --batch` uses instead, for the kinds whose default loads tweet by tweet. */
export const BATCHED_LOADERS: Partial<Record<DbKind, Loader>> = {
  normalized: normalizedBatchedLoader,
};

export const loaderFor = (kind: DbKind, batched = false): Loader =>
  (batched ? BATCHED_LOADERS[kind] : undefined) ?? LOADERS[kind];
