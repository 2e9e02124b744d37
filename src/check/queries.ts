import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { projectPath } from "../paths.js";

/** One checker query: `sql/NN_name.sql`. */
export interface CheckQuery {
  /** File name without `.sql`, e.g. `05_coronavirus_cotags`; also the name of its `.out` file. */
  name: string;
  sql: string;
}

export const defaultSqlDir = (): string => projectPath("sql");
export const defaultExpectedDir = (): string => projectPath("expected");

/** The queries of `dir` in name order. */
export async function loadQueries(dir = defaultSqlDir()): Promise<CheckQuery[]> {
  const names = (await readdir(dir)).filter((n) => /^\d+_.*\.sql$/.test(n)).sort();
  return Promise.all(
    names.map(async (n) => ({ name: n.slice(0, -4), sql: await readFile(join(dir, n), "utf8") })),
  );
}
