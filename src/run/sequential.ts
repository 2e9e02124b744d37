import { loadChunk } from "./chunk-task.js";
import { type ChunkRunner, startChunkedFile } from "./chunked-file.js";
import { Gate } from "./gate.js";
import { loadTask } from "./load-task.js";
import { SessionCache } from "./sessions.js";
import { type FileReport, type LoadTask, notStarted, type RunListener } from "./types.js";

/**
 * Runs the tasks one after another on this thread, one connection per database. An
 * aborted `signal` closes the connections, so the file in flight rolls back at once. A
 * task with a chunk size (a tar, which loads by member) is loaded unit by unit here too,
 * with the next unit read while one loads.
 */
export async function runSequential(
  tasks: readonly LoadTask[],
  listener: RunListener = () => {},
  signal?: AbortSignal,
): Promise<FileReport[]> {
  const sessions = new SessionCache();
  const reports: FileReport[] = [];
  const units: ChunkRunner = {
    gate: new Gate(1),
    listener,
    signal,
    run: (task, work, onProgress) => loadChunk(sessions, task, work, onProgress),
  };
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
      const chunked = task.chunkLines ? await startChunkedFile(task, units) : null;
      if (chunked) {
        const report = await chunked.done;
        listener({ type: "done", report });
        reports.push(report);
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
