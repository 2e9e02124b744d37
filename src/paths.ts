import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root, whether this module runs compiled (dist/paths.js) or from
 * source under vitest (src/paths.ts): both sit one level below it. SQL files,
 * schemas and the shipped sample are read relative to it.
 */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export const projectPath = (...parts: string[]): string => resolve(PROJECT_ROOT, ...parts);
