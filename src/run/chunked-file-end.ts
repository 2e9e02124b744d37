import { withClient } from "../db/client.js";
import { inTransaction } from "../db/transaction.js";
import { loadsByMember } from "../input/file-units.js";
import { recordLoad } from "../load/journal.js";
import { type ChunkRow, chunkRows, chunkTotals, forgetChunks } from "../load/journal-chunks.js";
import type { ChunkKey, JournalEntry } from "../load/journal-entry.js";
import { lockFile } from "../load/journal-locks.js";
import { journalVerdict } from "../load/journal-verdict.js";
import { type ChunkReport, SLOT_PID } from "./chunk-types.js";
import { backendGone, idsInDatabase, tweetIdsOf } from "./committed-count.js";
import { type FileReporter, loadedMeanwhile, type ReportFields } from "./file-report.js";
import { memberReports } from "./member-reports.js";
import { checkFileResult, unfinished } from "./outcome.js";
import { DEFAULT_MAX_REJECTS, parseRejectLimit } from "./reject-limit.js";
import type { FileReport, LoadTask } from "./types.js";

/**
 * Writes the journal row of a file whose chunks are all committed (the sums of its chunk
 * rows, which go in the same transaction), under the file's locks as inFileTransaction takes them,
 * once `accept` has judged the sums (it throws: too many rejects for a share, no tweet).
 * Returns the sums and the rows summed, `skipped` when another load finished the file
 * meanwhile (and `force` is off; chunk rows a load wrote after that are forgotten), or null
 * when chunk rows are missing (then nothing is written).
 */
export async function finishChunkedFile(
  task: LoadTask,
  entry: JournalEntry,
  chunks: number,
  accept: (totals: ReturnType<typeof chunkTotals>) => void,
): Promise<(ReturnType<typeof chunkTotals> & { rows: ChunkRow[] }) | "skipped" | null> {
  return withClient(task.url, async (client) => {
    // Commits also when it writes nothing (a chunk row missing): it took only the locks.
    return inTransaction(client, async () => {
      await lockFile(client, entry);
      if (!task.force && (await journalVerdict(client, entry)).state === "done") {
        await forgetChunks(client, entry);
        return "skipped" as const;
      }
      const rows = await chunkRows(client, entry);
      if (rows.length !== chunks) return null;
      const totals = chunkTotals(rows);
      accept(totals);
      await recordLoad(client, entry, totals);
      return { ...totals, rows };
    });
  });
}

/** A chunk that did not end committed, and what the pool knows of its worker. */
export interface LooseChunk {
  key: ChunkKey;
  /** Its backend's pid (0: never connected). */
  pid: number;
}

/**
 * What of an unfinished chunked file is in the database, asked of the database once the
 * backends of its loose chunks are gone (a chunk whose COMMIT was sent before a crash
 * may have committed unacknowledged). In pg_normalized, whose loaders commit as they go
 * and keep one row per tweet id, that is the file's distinct tweet ids found in `tweets`
 * (read again from the file), as tweetsInDatabase counts an unfinished whole file: a
 * chunk row counts the tweet lines it took, so two committed chunks holding the same
 * tweet would count it twice. Elsewhere (one row per line, chunks atomic) it is the sum of
 * the committed chunk rows.
 */
export async function committedOfFile(
  task: LoadTask,
  entry: JournalEntry,
  loose: readonly LooseChunk[],
): Promise<{ rows: ChunkRow[]; tweets: number }> {
  return withClient(task.url, async (client) => {
    for (const c of loose) if (c.pid) await backendGone(client, c.pid);
    const rows = await chunkRows(client, entry);
    if (task.db !== "normalized") return { rows, tweets: chunkTotals(rows).tweets };
    const input = task.maxLineBytes === undefined ? {} : { maxLineBytes: task.maxLineBytes };
    return { rows, tweets: await idsInDatabase(client, await tweetIdsOf(task.file, input)) };
  });
}

/** Where a load in chunks starts: the file's entry, and what of it is already in. */
export interface ChunkedStart {
  entry: JournalEntry;
  /** Chunks of its content committed by an earlier (or a concurrent) load. */
  prior: ChunkRow[];
  /** Notes for its report so far (a `--replace`). */
  notes: string[];
}

/** What a chunk ended with, as the file's end needs it. */
export interface ChunkOutcome {
  key: ChunkKey;
  slots: SharedArrayBuffer;
  report?: ChunkReport;
}

/** A load in chunks whose chunks have all ended (loaded, skipped, failed, or not started). */
export interface ChunkedRun {
  task: LoadTask;
  start: ChunkedStart;
  outcomes: ChunkOutcome[];
  /** Chunks of the file, and of them the ones an earlier load had committed. */
  total: number;
  resumed: number;
  /** Why the load stopped handing out chunks, if it did. */
  stop: string | undefined;
  signal: AbortSignal | undefined;
  reporter: FileReporter;
}

/**
 * The report of a file loaded in chunks: when every chunk is in (and the sums pass
 * --max-rejects), the journal row is written and the file is `loaded`; otherwise it is
 * `partial` (or `failed`) with what the database holds of it.
 */
export async function endChunkedFile(run: ChunkedRun): Promise<FileReport> {
  const { task, start, outcomes, signal, reporter } = run;
  const { entry, prior } = start;
  let stop = run.stop;
  const reports = outcomes.flatMap((o) => (o.report ? [o.report] : []));
  const counted = reports.filter((r) => r.retries !== undefined);
  const rejectsFile = reports.find((r) => r.rejectsFile)?.rejectsFile;
  const extra: ReportFields = {};
  if (counted.length > 0) extra.retries = counted.reduce((n, r) => n + (r.retries ?? 0), 0);
  if (rejectsFile !== undefined) extra.rejectsFile = rejectsFile;
  const notes = [...start.notes];
  if (run.resumed > 0) {
    notes.push(
      `resumed: ${run.resumed} of its ${run.total} chunks were committed by an earlier run`,
    );
  }
  if (notes.length > 0) extra.note = notes.join("; ");
  // A tar's report counts each member (from the journal's rows) and names damaged ones.
  const byMember = loadsByMember(task.file);
  const damaged = new Map(
    outcomes.flatMap((o) => (o.report?.damaged ? [[o.key.member, o.report.damaged]] : [])),
  );
  if (stop === undefined && !signal?.aborted) {
    try {
      const limit = parseRejectLimit(task.maxRejects ?? DEFAULT_MAX_REJECTS);
      const finished = await finishChunkedFile(task, entry, run.total, (t) =>
        checkFileResult(t, limit),
      );
      if (finished === "skipped") {
        return reporter.report("skipped", { note: loadedMeanwhile(task) });
      }
      if (finished !== null) {
        const { rows, ...totals } = finished;
        if (byMember) extra.members = memberReports(rows, damaged);
        return reporter.report("loaded", { ...extra, ...totals });
      }
      stop = "its chunks' journal rows are not all there (another load of it running?)";
    } catch (error) {
      stop = error instanceof Error ? error.message : String(error);
    }
  }
  const loose: LooseChunk[] = outcomes
    .filter((o) => o.report?.status !== "loaded" && o.report?.status !== "skipped")
    .map((o) => ({ key: o.key, pid: Atomics.load(new Int32Array(o.slots), SLOT_PID) }));
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
    tweets: chunkTotals(prior).tweets + reports.reduce((n, r) => n + r.tweets, 0),
  }));
  const totals = chunkTotals(truth.rows);
  if (byMember) extra.members = memberReports(truth.rows, damaged);
  const cause = signal?.aborted ? "interrupted" : (stop as string);
  const { status, ...rest } = unfinished(truth.tweets, cause);
  return reporter.report(status, {
    ...extra,
    ...rest,
    rejects: totals.rejects + failedRejects,
    notices: totals.notices,
  });
}
