import { DB_KINDS, type Targets } from "../db/kinds.js";
import { listArchives } from "../input/list-archives.js";
import { progressDisplay } from "../report/progress.js";
import { type LoadRunResult, runLoad } from "../run/run-load.js";
import { DEFAULT_BATCH_SIZE, defaultJobs } from "../run/types.js";

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
      jobs: options.jobs ?? defaultJobs(),
      batchSize: DEFAULT_BATCH_SIZE,
      listener: display.listener,
    });
  } finally {
    display.stop();
  }
}
