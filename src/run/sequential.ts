import { loadTask } from "./load-task.js";
import { SessionCache } from "./sessions.js";
import { type FileReport, type LoadTask, notStarted, type RunListener } from "./types.js";

/**
 * Runs the tasks one after another on this thread, one connection per database. An
 * aborted `signal` closes the connections, so the file in flight rolls back at once.
 */
export async function runSequential(
  tasks: readonly LoadTask[],
  listener: RunListener = () => {},
  signal?: AbortSignal,
): Promise<FileReport[]> {
  const sessions = new SessionCache();
  const reports: FileReport[] = [];
  const onAbort = () => {
    void sessions.closeAll(true);
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (const task of tasks) {
      if (signal?.aborted) {
        reports.push(notStarted(task));
        continue;
      }
      listener({ type: "start", file: task.file, db: task.db });
      const report = await loadTask(
        sessions,
        task,
        (tweets) => listener({ type: "progress", file: task.file, db: task.db, tweets }),
        signal,
      );
      listener({ type: "done", report });
      reports.push(report);
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await sessions.closeAll();
  }
  return reports;
}
