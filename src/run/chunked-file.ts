import { rmSync } from "node:fs";
import { withClient } from "../db/client.js";
import { FileChangedError } from "../errors.js";
import { archiveMembers } from "../input/archive-members.js";
import type { FileChunk } from "../input/chunk-cutter.js";
import { fileUnits, loadsByMember } from "../input/file-units.js";
import type { ChunkInput, SkippedMember } from "../input/types.js";
import { replaceEarlierLoad } from "../load/forget-load.js";
import { chunkRows, chunkTotals } from "../load/journal-chunks.js";
import type { ChunkKey } from "../load/journal-entry.js";
import { journalVerdict } from "../load/journal-verdict.js";
import { CHUNK_SLOTS_BYTES, type ChunkReport, type ChunkWork } from "./chunk-types.js";
import { type ChunkedStart, type ChunkOutcome, endChunkedFile } from "./chunked-file-end.js";
import { alreadyLoaded, FileReporter, replacedNote } from "./file-report.js";
import type { Gate } from "./gate.js";
import { rejectsPath } from "./reject-sink.js";
import { journalEntryOf } from "./task-identity.js";
import type { FileReport, LoadTask, RunListener } from "./types.js";

/** What the chunked runner needs of the pool (or of the thread it runs on). */
export interface ChunkRunner {
  /** One place per chunk (or whole file) in flight: bounds the chunks held in memory. */
  gate: Gate;
  /** Loads a chunk; rejects only when the worker died (or the pool was stopped). */
  run(task: LoadTask, work: ChunkWork, onProgress: (tweets: number) => void): Promise<ChunkReport>;
  listener: RunListener;
  signal?: AbortSignal | undefined;
}

const keyOf = (k: Pick<ChunkKey, "member" | "index">) => `${k.member}\n${k.index}`;

/** A file is cut unless a member may be one JSON array (`.json`): its elements span lines. */
async function chunkable(file: string): Promise<boolean> {
  if (loadsByMember(file)) return true;
  try {
    for await (const member of archiveMembers(file)) if (member.mayBeArray) return false;
  } catch {
    // An unreadable archive: cutting it fails with the reader's own message.
  }
  return true;
}

/** The chunk as it crosses to a worker; its bytes move (transferred), so they are its own. */
function inputOf(chunk: FileChunk): ChunkInput {
  const { data } = chunk;
  const owned =
    data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
      ? new Uint8Array(data.buffer)
      : new Uint8Array(data);
  const { member, firstLineNo, whole, compression, mayBeArray, damage } = chunk;
  const input: ChunkInput = { member, firstLineNo, data: owned };
  if (chunk.long) input.long = chunk.long.map((l) => ({ ...l, head: new Uint8Array(l.head) }));
  if (chunk.parts) input.parts = chunk.parts;
  Object.assign(input, { whole, compression, mayBeArray, damage });
  return input;
}

/**
 * Loads one file (task) as chunks on the pool's workers; the main thread reads (inflates)
 * it and cuts it (cutChunks), the workers load the chunks at once. Returns once every chunk
 * is handed out, with the promise of the file's report; null when the file cannot be cut
 * (then the caller loads it whole). The file-level journal rules hold as for a whole file:
 * skipped when journaled, refused when changed, `--replace` forgets the earlier load once
 * before any chunk loads. Chunks of the content the journal lists from an earlier,
 * unfinished load (in chunks, or a whole-file load that resumed chunks) are not loaded
 * again (loadInChunks).
 */
export async function startChunkedFile(
  task: LoadTask,
  runner: ChunkRunner,
): Promise<{ done: Promise<FileReport> } | null> {
  if (!(await chunkable(task.file))) return null;
  const reporter = new FileReporter(task);
  runner.listener({ type: "start", file: task.file, db: task.db });
  // (Wrapped: an async function would wait for a promise it returns.)
  const ended = (r: FileReport) => ({ done: Promise.resolve(r) });
  try {
    const entry = await journalEntryOf(task);
    const start = await withClient(task.url, async (client) => {
      if (!task.force && !task.replace) {
        const v = await journalVerdict(client, entry);
        if (v.state !== "new") return v;
      }
      const notes = task.replace ? [replacedNote(await replaceEarlierLoad(client, entry))] : [];
      return { state: "new" as const, entry, prior: await chunkRows(client, entry), notes };
    });
    if (start.state === "changed") {
      return ended(
        reporter.report("failed", { error: new FileChangedError(entry, start.row).message }),
      );
    }
    if (start.state === "done") {
      return ended(
        reporter.report("skipped", { note: alreadyLoaded(task, entry.path, start.row) }),
      );
    }
    return loadInChunks(task, runner, start, reporter);
  } catch (error) {
    return ended(
      reporter.report("failed", { error: error instanceof Error ? error.message : String(error) }),
    );
  }
}

/**
 * Cuts the file into chunks of `task.chunkLines` lines (those of `start.prior`, when an
 * earlier load left chunks: the same file and chunk size give the same chunks) and hands
 * every chunk not committed yet to `runner`; returns once the last is handed out, with the
 * promise of the file's report (endChunkedFile: the journal row when every chunk is in,
 * else `partial` or `failed` with what the database holds).
 */
export async function loadInChunks(
  task: LoadTask,
  runner: ChunkRunner,
  start: ChunkedStart,
  reporter: FileReporter,
): Promise<{ done: Promise<FileReport> }> {
  const { entry, prior } = start;
  const { listener, signal } = runner;
  const chunkLines = prior[0]?.chunkLines ?? (task.chunkLines as number);
  const resumable = new Set(prior.map(keyOf));
  const before = chunkTotals(prior);
  // A fresh load makes the reject file afresh, as a whole-file load does; a resumed one
  // keeps the records of the chunks committed before.
  if (prior.length === 0 && task.rejectsDir) {
    rmSync(rejectsPath(task.rejectsDir, entry.path, task.db), { force: true });
  }
  const fileRejects = new SharedArrayBuffer(4);
  Atomics.store(new Int32Array(fileRejects), 0, before.rejects);

  const progress = new Map<number, number>();
  // A running sum: a month's tar has tens of thousands of units.
  let sum = before.tweets;
  const onProgress = (n: number, tweets: number) => {
    sum += tweets - (progress.get(n) ?? 0);
    progress.set(n, tweets);
    listener({ type: "progress", file: task.file, db: task.db, tweets: sum });
  };
  const outcomes: ChunkOutcome[] = [];
  const inFlight: Promise<void>[] = [];
  const run = { stop: undefined as string | undefined, total: 0, resumed: 0 };
  try {
    const input = {
      ...(task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes }),
      onSkippedMember: (m: SkippedMember) => reporter.skippedMembers.set(m.name, m),
    };
    for await (const chunk of fileUnits(task.file, chunkLines, input)) {
      const n = run.total++;
      const key: ChunkKey = {
        member: chunk.member ?? "",
        index: chunk.index,
        chunkLines,
        firstLine: chunk.firstLineNo,
        lines: chunk.lines,
      };
      if (resumable.has(keyOf(key))) {
        run.resumed++;
        continue;
      }
      if (run.stop !== undefined || signal?.aborted) break;
      await runner.gate.acquire();
      if (run.stop !== undefined || signal?.aborted) {
        runner.gate.release();
        break;
      }
      const outcome: ChunkOutcome = { key, slots: new SharedArrayBuffer(CHUNK_SLOTS_BYTES) };
      const first = outcomes.length === 0;
      outcomes.push(outcome);
      const work: ChunkWork = { input: inputOf(chunk), key, entry, fileRejects, first };
      inFlight.push(
        runner
          .run({ ...task, committed: outcome.slots }, work, (t) => onProgress(n, t))
          .then(
            (r) => {
              outcome.report = r;
              // A unit smaller than a progress step (a tar member) reports only here.
              if (r.status === "loaded") onProgress(n, r.tweets);
              if (r.status === "failed") run.stop ??= r.error ?? "a chunk failed";
            },
            (error: unknown) => {
              const reason = error instanceof Error ? error.message : String(error);
              run.stop ??= `the worker loading it stopped (${reason})`;
            },
          )
          .finally(() => runner.gate.release()),
      );
    }
  } catch (error) {
    run.stop ??= error instanceof Error ? error.message : String(error);
  }
  const done = Promise.all(inFlight).then(() =>
    endChunkedFile({ task, start, outcomes, ...run, signal, reporter }),
  );
  return { done };
}
