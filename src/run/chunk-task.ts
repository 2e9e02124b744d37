import { setTimeout as sleep } from "node:timers/promises";
import { redactSecrets } from "../db/targets.js";
import { isTransient } from "../errors.js";
import { checkUnchanged } from "../input/file-identity.js";
import { useLoadId } from "../load/forget-load.js";
import { recordChunk } from "../load/journal.js";
import { chunkDone } from "../load/journal-chunks.js";
import { holdContent } from "../load/journal-locks.js";
import { journalVerdict } from "../load/journal-verdict.js";
import type { PgClient } from "../load/loader.js";
import { DEFAULT_RETRY_FOR_MS, RetryBudget } from "../load/retry-budget.js";
import { trace } from "../report/trace.js";
import { ChunkRejects } from "./chunk-rejects.js";
import { type ChunkReport, type ChunkWork, SLOT_COMMITTED, SLOT_PID } from "./chunk-types.js";
import { progressHook } from "./progress-hook.js";
import { DEFAULT_MAX_REJECTS, parseRejectLimit } from "./reject-limit.js";
import { retryNotice } from "./retry-notice.js";
import type { SessionCache } from "./sessions.js";
import { waitNotice } from "./task-identity.js";
import type { LoadTask } from "./types.js";

const SKIPPED: ChunkReport = { status: "skipped", tweets: 0, rejects: 0, notices: {} };

/**
 * For loaders that commit as they go (no chunk transaction to lock in): holds the
 * content's lock, shared, for the chunk's load, and says whether the chunk (or, without
 * `force`, the whole file) was finished by another load meanwhile. Returns the release,
 * or null when the chunk is done.
 */
async function holdForChunk(client: PgClient, task: LoadTask, work: ChunkWork) {
  const onWait = work.first ? waitNotice(task) : undefined;
  const release = await holdContent(client, work.entry, "shared", onWait);
  const fileDone = !task.force && (await journalVerdict(client, work.entry)).state === "done";
  if (fileDone || (await chunkDone(client, work.entry, work.key))) {
    await release();
    return null;
  }
  return release;
}

/**
 * Loads one chunk of a file, on a worker or (resuming a file another load began in
 * chunks) on the thread of a whole-file load, as loadTask loads a file: the loader reads
 * the chunk through the same line reader (InputOptions.chunk) and, in one transaction with
 * its rows (after its last tweet for the loaders that commit as they go), records it in
 * tweetload.journal_chunks, once it has checked that the file is still the one hashed. The
 * file-level journal checks, `--replace` and the file's journal row are the caller's
 * (chunked-file.ts). Retried like a file after a lost connection or deadlock, unless
 * `signal` is aborted; never throws.
 */
export async function loadChunk(
  sessions: SessionCache,
  task: LoadTask,
  work: ChunkWork,
  onProgress: (tweets: number) => void,
  signal?: AbortSignal,
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
  for (let attempt = 1; ; attempt++) {
    const rejects = new ChunkRejects(task, entry.path, limit, new Int32Array(work.fileRejects));
    let damaged: string | undefined;
    try {
      const { client, session } = await sessions.connection(task);
      const pid = (client as { processID?: number }).processID;
      if (slots && pid) Atomics.store(slots, SLOT_PID, pid);
      await useLoadId(client, entry);
      if (work.first) trace(`journal checked, loading ${task.file}`);
      const release = session.atomicFiles ? undefined : await holdForChunk(client, task, work);
      if (release === null) return SKIPPED;
      if (release) checkUnchanged(task.file, entry);
      // No `accept`: a share is judged on the file's sums once every chunk is in, a count
      // by ChunkRejects as the rejects come.
      const result = await session.loadFile(task.file, {
        onProgress: progressHook(onProgress),
        onReject: (line) => {
          if (line.damaged) damaged = line.error;
          rejects.write(line);
        },
        journal: {
          entry,
          force: task.force ?? false,
          chunk: key,
          beforeCommit: () => {
            checkUnchanged(task.file, entry);
            rejects.sync();
          },
          ...(work.first ? { onWait: waitNotice(task) } : {}),
        },
        input: {
          ...(task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes }),
          chunk: work.input,
        },
        onCommitted,
      });
      if (result.skipped) return SKIPPED;
      if (release) {
        checkUnchanged(task.file, entry);
        rejects.sync();
        await recordChunk(client, entry, key, result);
        await release();
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
      // A new connection: this one may be broken, and closing it releases its locks.
      await sessions.discard(task);
      const count = rejects.count;
      rejects.abandon();
      const wait = !signal?.aborted && isTransient(error) ? budget.next(attempt) : undefined;
      if (wait) {
        process.stderr.write(`${retryNotice(task, error, wait)}\n`);
        await sleep(wait.waitMs, undefined, { signal }).catch(() => {});
        if (!signal?.aborted) continue;
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
