import { loadTask } from "./load-task.js";
import { SessionCache } from "./sessions.js";
import type { FileReport, LoadTask, RunListener } from "./types.js";

/** Runs the tasks one after another on this thread, one connection per database. */
export async function runSequential(
  tasks: readonly LoadTask[],
  listener: RunListener = () => {},
): Promise<FileReport[]> {
  const sessions = new SessionCache();
  const reports: FileReport[] = [];
  try {
    for (const task of tasks) {
      listener({ type: "start", file: task.file, db: task.db });
      const report = await loadTask(sessions, task, (tweets) =>
        listener({ type: "progress", file: task.file, db: task.db, tweets }),
      );
      listener({ type: "done", report });
      reports.push(report);
    }
  } finally {
    await sessions.closeAll();
  }
  return reports;
}
