/**
 * tweetload as a library: `import { load, check, generate } from "tweetload"`.
 * The CLI uses these same functions; see the README's "Library" section.
 */

export { type CheckApiOptions, check } from "./api/check.js";
export { type LoadOptions, load } from "./api/load.js";
export { renderCheckTable } from "./check/render-check-table.js";
export type { CheckReport, QueryCheck } from "./check/run-checks.js";
export { type EmbeddedOptions, embeddedDown, embeddedUp } from "./db/embedded.js";
export { tweetloadHome } from "./db/embedded-state.js";
export {
  DB_KINDS,
  type DbKind,
  databaseName,
  redactUrl,
  resolveTargets,
  type Targets,
  targetEnvName,
} from "./db/targets.js";
export { UserError } from "./errors.js";
export { generateArchives as generate } from "./generate/generate-archives.js";
export type { GenerateOptions } from "./generate/generate-options.js";
export { renderSummaryTable, summaryJson } from "./report/summary.js";
export type { LoadRunResult, LoadTotals } from "./run/run-load.js";
export type { FileReport, FileStatus, RunEvent, RunListener } from "./run/types.js";
export type { MediaRow, TweetRow, TweetRows, UserRow } from "./transform/rows.js";
