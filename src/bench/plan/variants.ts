import type { LoaderVariant } from "../types.js";

/**
 * The loader rows of the report, in the assignment's order. A new loader
 * (e.g. batches into the constrained schema) is one more line here.
 */
export const LOADER_VARIANTS: readonly LoaderVariant[] = [
  { id: "normalized", label: "pg_normalized", db: "normalized", extraArgs: [] },
  { id: "normalized_batch", label: "pg_normalized_batch", db: "normalized_batch", extraArgs: [] },
  { id: "denormalized", label: "pg_denormalized", db: "denormalized", extraArgs: [] },
  // Batches into the constrained schema (`load --batch`), after the assignment's three rows.
  {
    id: "normalized_batched",
    label: "pg_normalized, batched",
    db: "normalized",
    extraArgs: ["--batch"],
  },
];
