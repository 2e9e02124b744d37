import type { DbKind } from "../db/kinds.js";
import { denormalizedLoader } from "./denormalized/denormalized-loader.js";
import type { Loader } from "./loader.js";
import { normalizedLoader } from "./normalized/normalized-loader.js";
import { normalizedBatchLoader } from "./normalized-batch/normalized-batch-loader.js";

/** The loader of each database kind. Adding a database means adding a line here. */
export const LOADERS: Record<DbKind, Loader> = {
  denormalized: denormalizedLoader,
  normalized: normalizedLoader,
  normalized_batch: normalizedBatchLoader,
};

export const loaderFor = (kind: DbKind): Loader => LOADERS[kind];
