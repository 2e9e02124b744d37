import { rmSync } from "node:fs";
import { withClient } from "../db/client.js";
import { redactSecrets } from "../db/targets.js";
import { archiveMembers } from "../input/archive-members.js";
import type { FileChunk } from "../input/chunk-cutter.js";
import { fileIdentity } from "../input/file-identity.js";
import { fileUnits, loadsByMember } from "../input/file-units.js";
import type { ChunkInput, SkippedMember } from "../input/types.js";
import { replaceEarlierLoad } from "../load/forget-load.js";
import { type ChunkRow, chunkRows, chunkTotals } from "../load/journal-chunks.js";
import type { ChunkKey, JournalEntry } from "../load/journal-entry.js";
import { FileChangedError, journalVerdict } from "../load/journal-verdict.js";
import { loaderById } from "../load/registry.js";
import { CHUNK_SLOTS_BYTES, type ChunkReport, type ChunkWork, SLOT_PID } from "./chunk-types.js";
import { committedOfFile, finishChunkedFile, type LooseChunk } from "./chunked-file-end.js";
import type { Gate } from "./gate.js";
import { memberReports } from "./member-reports.js";
import { NoTweetsError, unfinished } from "./outcome.js";
import { rejectsPath } from "./reject-sink.js";
import type { FileReport, LoadTask, RunListener } from "./types.js";

/** What the chunked runner needs of the pool. */
export interface ChunkRunner {
  /** One place per chunk (or whole file) in flight: bounds the chunks held in memory. */
  gate: Gate;
  /** Loads a chunk on a worker; rejects only when the worker died (or the pool was stopped). */
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
  Object.assign(input, { whole, compression, mayBeArray, damage });
  return input;
}

/** What a chunk ended with, as the file's end needs it. */
interface Outcome {
  key: ChunkKey;
  slots: SharedArrayBuffer;
  report?: ChunkReport;
}

/**
 * Loads one file (task) as chunks on the pool's workers; the main thread reads (inflates)
 * it and cuts it (cutChunks), the workers load the chunks at once. Returns once every chunk
 * is handed out, with the promise of the file's report; null when the file cannot be cut
 * (then the caller loads it whole). The file-level journal rules hold as for a whole file:
 * skipped when journaled, refused when changed, `--replace` forgets the earlier load once
 * before any chunk loads. Chunks the journal lists from an earlier, unfinished run are not
 * loaded again (they are cut with the chunk size stored with them). When all chunks are
 * committed the file's journal row is written; otherwise the file is `partial` (or
 * `failed`) with what the database holds of it.
 */
export async function startChunkedFile(
  task: LoadTask,
  runner: ChunkRunner,
): Promise<{ done: Promise<FileReport> } | null> {
  const started = performance.now();
  const skippedMembers = new Map<string, SkippedMember>();
  const report = (status: FileReport["status"], fields: Partial<FileReport> = {}): FileReport => {
    const seconds = (performance.now() - started) / 1000;
    const tweets = fields.tweets ?? 0;
    const r: FileReport = {
      file: task.file,
      db: task.db,
      tweets,
      rejects: 0,
      notices: {},
      seconds,
      tweetsPerSecond: seconds > 0 ? tweets / seconds : 0,
      ...fields,
      status,
    };
    if (r.error !== undefined) r.error = redactSecrets(r.error, [task.url]);
    if (skippedMembers.size > 0) r.skippedMembers = [...skippedMembers.values()];
    return r;
  };
  // (Wrapped: an async function would wait for a promise it returns.)
  const ended = (r: FileReport) => ({ done: Promise.resolve(r) });
  const failed = (error: unknown) =>
    ended(report("failed", { error: error instanceof Error ? error.message : String(error) }));

  if (!(await chunkable(task.file))) return null;
  const { listener, signal } = runner;
  listener({ type: "start", file: task.file, db: task.db });
  let entry: JournalEntry;
  try {
    const identity = await fileIdentity(task.file);
    if (identity.size === 0)
      return failed(new Error(`${task.file} is empty (0 bytes): nothing to load`));
    entry = { ...identity, loader: loaderById(task.loader).journalName };
  } catch (error) {
    return failed(error);
  }
  let prior: ChunkRow[];
  let replaced: number | undefined;
  try {
    const verdict = await withClient(task.url, async (client) => {
      if (!task.force && !task.replace) {
        const v = await journalVerdict(client, entry);
        if (v.state !== "new") return v;
      }
      if (task.replace) replaced = await replaceEarlierLoad(client, entry);
      prior = await chunkRows(client, entry);
      return { state: "new" as const };
    });
    if (verdict.state === "changed") return failed(new FileChangedError(entry, verdict.row));
    if (verdict.state === "done") {
      const done = verdict.row;
      const from = done.path === null || done.path === entry.path ? "" : ` from ${done.path}`;
      return ended(
        report("skipped", {
          note: `already loaded into ${task.db}${from} on ${done.finishedAt.toISOString()} (${done.tweets} tweets); --force loads it again`,
        }),
      );
    }
  } catch (error) {
    return failed(error);
  }
  prior ??= [];
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
  const outcomes: Outcome[] = [];
  const inFlight: Promise<void>[] = [];
  let stop: string | undefined;
  let total = 0;
  let resumed = 0;
  try {
    const input = {
      ...(task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes }),
      onSkippedMember: (m: SkippedMember) => skippedMembers.set(m.name, m),
    };
    for await (const chunk of fileUnits(task.file, chunkLines, input)) {
      const n = total++;
      const key: ChunkKey = {
        member: chunk.member ?? "",
        index: chunk.index,
        chunkLines,
        firstLine: chunk.firstLineNo,
        lines: chunk.lines,
      };
      if (resumable.has(keyOf(key))) {
        resumed++;
        continue;
      }
      if (stop !== undefined || signal?.aborted) break;
      await runner.gate.acquire();
      if (stop !== undefined || signal?.aborted) {
        runner.gate.release();
        break;
      }
      const outcome: Outcome = { key, slots: new SharedArrayBuffer(CHUNK_SLOTS_BYTES) };
      outcomes.push(outcome);
      const work: ChunkWork = { input: inputOf(chunk), key, entry, fileRejects, first: n === 0 };
      inFlight.push(
        runner
          .run({ ...task, committed: outcome.slots }, work, (t) => onProgress(n, t))
          .then(
            (r) => {
              outcome.report = r;
              // A unit smaller than a progress step (a tar member) reports only here.
              if (r.status === "loaded") onProgress(n, r.tweets);
              if (r.status === "failed") stop ??= r.error ?? "a chunk failed";
            },
            (error: unknown) => {
              const reason = error instanceof Error ? error.message : String(error);
              stop ??= `the worker loading it stopped (${reason})`;
            },
          )
          .finally(() => runner.gate.release()),
      );
    }
  } catch (error) {
    stop ??= error instanceof Error ? error.message : String(error);
  }

  // A tar's report counts each member (from the journal's rows) and names damaged ones.
  const byMember = loadsByMember(task.file);
  const damaged = () =>
    new Map(outcomes.flatMap((o) => (o.report?.damaged ? [[o.key.member, o.report.damaged]] : [])));
  const done = (async () => {
    await Promise.all(inFlight);
    const reports = outcomes.flatMap((o) => (o.report ? [o.report] : []));
    const counted = reports.filter((r) => r.retries !== undefined);
    const retries = counted.reduce((n, r) => n + (r.retries ?? 0), 0);
    const rejectsFile = reports.find((r) => r.rejectsFile)?.rejectsFile;
    const extra: Partial<FileReport> = {};
    if (counted.length > 0) extra.retries = retries;
    if (rejectsFile !== undefined) extra.rejectsFile = rejectsFile;
    const notes: string[] = [];
    if (replaced !== undefined) {
      notes.push(`replaced the earlier load of this file (${replaced} tweet rows removed)`);
    }
    if (resumed > 0) {
      notes.push(`resumed: ${resumed} of its ${total} chunks were committed by an earlier run`);
    }
    if (notes.length > 0) extra.note = notes.join("; ");
    if (stop === undefined && !signal?.aborted) {
      try {
        const finished = await finishChunkedFile(task, entry, total);
        if (finished === "skipped") {
          return report("skipped", {
            note: `loaded into ${task.db} by another tweetload meanwhile; --force loads it again`,
          });
        }
        if (finished !== null) {
          const { rows, ...totals } = finished;
          if (totals.tweets === 0) {
            return report("failed", { ...totals, error: new NoTweetsError(totals).message });
          }
          if (byMember) extra.members = memberReports(rows, damaged());
          return report("loaded", { ...extra, ...totals });
        }
        stop = "its chunks' journal rows are not all there (another load of it running?)";
      } catch (error) {
        stop = error instanceof Error ? error.message : String(error);
      }
    }
    const loose: LooseChunk[] = outcomes
      .filter((o) => o.report?.status !== "loaded" && o.report?.status !== "skipped")
      .map((o) => {
        const slots = new Int32Array(o.slots);
        return {
          key: o.key,
          pid: Atomics.load(slots, SLOT_PID),
        };
      });
    const failedRejects = reports
      .filter((r) => r.status === "failed")
      .reduce((n, r) => n + r.rejects, 0);
    // The database out of reach: what the workers acknowledged is all there is to tell.
    const truth = await committedOfFile(task, entry, loose).catch(() => ({
      rows: prior.concat(
        outcomes.flatMap((o) =>
          o.report && o.report.status !== "failed" ? [{ ...o.key, ...o.report }] : [],
        ),
      ),
      tweets: before.tweets + reports.reduce((n, r) => n + r.tweets, 0),
    }));
    const totals = chunkTotals(truth.rows);
    if (byMember) extra.members = memberReports(truth.rows, damaged());
    const cause = signal?.aborted ? "interrupted" : (stop as string);
    const { status, ...rest } = unfinished(truth.tweets, cause);
    return report(status, {
      ...extra,
      ...rest,
      rejects: totals.rejects + failedRejects,
      notices: totals.notices,
    });
  })();
  return { done };
}
