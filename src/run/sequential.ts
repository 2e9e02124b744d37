import { loadTask } from "./load-task.js";
import { SessionCache } from "./sessions.js";
import type { FileReport, LoadTask, RunListener } from "./types.js";

/** The report of a task an interrupted run never started. */
export function notStarted(task: LoadTask): FileReport {
  return {
    file: task.file,
    db: task.db,
    tweets: 0,
    rejects: 0,
    seconds: 0,
    tweetsPerSecond: 0,
    status: "failed",
    error: "interrupted: not started",
  };
}

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
    void sessions.closeAll();
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
