import { setTimeout as sleep } from "node:timers/promises";
import { redactSecrets } from "../db/targets.js";
import { useLoadId } from "../load/forget-load.js";
import { recordChunk } from "../load/journal.js";
import { chunkDone } from "../load/journal-chunks.js";
import type { FileResult } from "../load/loader.js";
import { isTransient } from "../load/retry.js";
import { DEFAULT_RETRY_FOR_MS, RetryBudget } from "../load/retry-budget.js";
import { trace } from "../report/trace.js";
import { ChunkRejects } from "./chunk-rejects.js";
import { type ChunkReport, type ChunkWork, SLOT_COMMITTED, SLOT_PID } from "./chunk-types.js";
import { TooManyRejectsError } from "./outcome.js";
import { progressHook } from "./progress-hook.js";
import { DEFAULT_MAX_REJECTS, exceedsLimit, parseRejectLimit } from "./reject-limit.js";
import { retryNotice } from "./retry-notice.js";
import type { SessionCache } from "./sessions.js";
import type { LoadTask } from "./types.js";

/**
 * Loads one chunk of a file in a worker, as loadTask loads a file: the loader reads the
 * chunk through the same line reader (InputOptions.chunk) and, in one transaction with
 * its rows (after its last tweet for the loaders that commit as they go), records it in
 * tweetload.journal_chunks. The file-level journal checks, `--replace` and the file's
 * journal row are the main thread's (chunked-file.ts). Retried like a file after a lost
 * connection or deadlock; never throws.
 */
export async function loadChunk(
  sessions: SessionCache,
  task: LoadTask,
  work: ChunkWork,
  onProgress: (tweets: number) => void,
): Promise<ChunkReport> {
  const { entry, key } = work;
  const limit = parseRejectLimit(task.maxRejects ?? DEFAULT_MAX_REJECTS);
  const budget = new RetryBudget(
    task.retryForMs ?? DEFAULT_RETRY_FOR_MS,
    task.retries === undefined ? undefined : 1 + task.retries,
  );
  const slots = task.committed ? new Int32Array(task.committed) : undefined;
  let committed = 0;
  const onCommitted = (tweets: number) => {
    if (tweets <= committed) return;
    committed = tweets;
    if (slots) Atomics.store(slots, SLOT_COMMITTED, tweets);
  };
  // A chunk's share of rejects is judged on its own lines, when it has been read through.
  const accept = (r: FileResult) => {
    if ("share" in limit && exceedsLimit(limit, r.rejects, r.tweets, true)) {
      throw new TooManyRejectsError(limit, r.rejects);
    }
  };
  for (let attempt = 1; ; attempt++) {
    const rejects = new ChunkRejects(task, entry.path, limit, new Int32Array(work.fileRejects));
    let damaged: string | undefined;
    try {
      const { client, session } = await sessions.connection(task);
      const pid = (client as { processID?: number }).processID;
      if (slots && pid) Atomics.store(slots, SLOT_PID, pid);
      await useLoadId(client, entry);
      if (work.first) trace(`journal checked, loading ${task.file}`);
      if (!session.atomicFiles && (await chunkDone(client, entry, key))) {
        return { status: "skipped", tweets: 0, rejects: 0, notices: {} };
      }
      const result = await session.loadFile(task.file, {
        onProgress: progressHook(rejects, onProgress),
        onReject: (line) => {
          if (line.damaged) damaged = line.error;
          rejects.write(line);
        },
        journal: {
          entry,
          force: task.force ?? false,
          chunk: key,
          beforeCommit: () => rejects.sync(),
        },
        input: {
          ...(task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes }),
          chunk: work.input,
        },
        onCommitted,
        accept,
      });
      if (result.skipped) return { status: "skipped", tweets: 0, rejects: 0, notices: {} };
      if (!session.atomicFiles) {
        accept(result);
        rejects.sync();
        await recordChunk(client, entry, key, result);
      }
      const report: ChunkReport = {
        status: "loaded",
        tweets: result.tweets,
        rejects: result.rejects,
        notices: result.notices ?? {},
      };
      if (result.retries !== undefined) report.retries = result.retries;
      if (rejects.path !== undefined) report.rejectsFile = rejects.path;
      if (damaged !== undefined) report.damaged = damaged;
      return report;
    } catch (error) {
      await sessions.discard(task);
      const count = rejects.count;
      rejects.abandon();
      const wait = isTransient(error) ? budget.next(attempt) : undefined;
      if (wait) {
        process.stderr.write(`${retryNotice(task, error, wait)}\n`);
        await sleep(wait.waitMs);
        continue;
      }
      const message = error instanceof Error ? error.message : String(error);
      const after = attempt > 1 ? ` (after ${attempt} tries)` : "";
      return {
        status: "failed",
        tweets: committed,
        rejects: count,
        notices: {},
        error: redactSecrets(`${message}${after}`, [task.url]),
      };
    }
  }
}
