import { readFile } from "node:fs/promises";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT, projectPath } from "../paths.js";

/**
 * Reads `name`, a .sql file kept beside the module at `moduleUrl` (its `import.meta.url`).
 * `npm run build` copies src/**\/*.sql into dist/, so an installed package needs no src/.
 * A clone built by a bare `tsc` has no copies: there the file is read from src/.
 */
export async function readSqlFile(moduleUrl: string, name: string): Promise<string> {
  const path = fileURLToPath(new URL(name, moduleUrl));
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    const inDist = relative(projectPath("dist"), path);
    if (!inDist.startsWith("..") && !inDist.startsWith(sep)) {
      const fromSrc = await readFile(projectPath("src", inDist), "utf8").catch(() => undefined);
      if (fromSrc !== undefined) return fromSrc;
    }
    throw new Error(
      `the SQL file ${relative(PROJECT_ROOT, path)} is missing: this build of tweetload is incomplete; run \`npm run build\` (it copies src/**/*.sql into dist/) or reinstall the package`,
      { cause: error },
    );
  }
}
