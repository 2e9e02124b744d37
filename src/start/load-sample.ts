import { DB_KINDS, type Targets } from "../db/kinds.js";
import { listArchives } from "../input/list-archives.js";
import { progressDisplay } from "../report/progress.js";
import { CLI_DEFAULTS, LOAD_DEFAULTS } from "../run/load-options.js";
import { type LoadRunResult, runLoad } from "../run/run-load.js";

/**
 * Loads every archive of `dataDir` into all three databases at once: one task per file and
 * database on the loader's worker pool, with the same progress display as `tweetload load`.
 * Failed files are reported in the result, not thrown.
 */
export async function loadSample(
  targets: Targets,
  dataDir: string,
  options: { jobs?: number | undefined } = {},
): Promise<LoadRunResult> {
  const { files } = await listArchives([dataDir]);
  const display = progressDisplay(process.stderr, files.length * DB_KINDS.length);
  try {
    return await runLoad({
      files,
      dbs: [...DB_KINDS],
      targets,
      jobs: options.jobs ?? CLI_DEFAULTS.jobs(),
      batchSize: LOAD_DEFAULTS.batchSize,
      listener: display.listener,
    });
  } finally {
    display.stop();
  }
}
