import { basename } from "node:path";
import cliProgress from "cli-progress";
import type { FileReport, RunEvent, RunListener } from "../run/types.js";
import { noticeTotal } from "../transform/notices.js";
import { DEFAULT_PROGRESS_EVERY_MS, ProgressTicker } from "./progress-line.js";

/**
 * Shows a run's progress: live bars on a terminal, else one line per finished file and a
 * progress line every `everyMs` (ProgressTicker).
 */
export interface ProgressDisplay {
  listener: RunListener;
  stop(): void;
}

/** The one line printed per finished file when stderr is not a terminal. */
export function finishedLine(r: FileReport): string {
  const head = `${r.status.padEnd(6)} ${r.file} → ${r.db}`;
  if (r.status === "failed") return `${head}: ${r.error ?? "unknown error"}`;
  if (r.status === "partial") return `${head}: ${r.tweets} tweets committed: ${r.error ?? ""}`;
  if (r.status === "skipped") return `${head}: ${r.note ?? "already loaded"}`;
  const where = r.rejectsFile ? ` (${r.rejectsFile})` : "";
  const rejects = r.rejects > 0 ? `, ${r.rejects} rejected${where}` : "";
  const notices = noticeTotal(r.notices);
  const skippedNotices = notices > 0 ? `, ${notices} stream notices skipped` : "";
  return `${head}: ${r.tweets} tweets${rejects}${skippedNotices} in ${r.seconds.toFixed(2)} s (${Math.round(r.tweetsPerSecond)} tweets/s)`;
}

function lineDisplay(
  stream: NodeJS.WritableStream,
  tasks: number,
  everyMs: number,
): ProgressDisplay {
  const ticker = new ProgressTicker(tasks, everyMs, (line) => stream.write(`${line}\n`));
  return {
    listener(event) {
      ticker.listener(event);
      if (event.type === "done") stream.write(`${finishedLine(event.report)}\n`);
    },
    stop: () => ticker.stop(),
  };
}

function barDisplay(stream: NodeJS.WriteStream, tasks: number): ProgressDisplay {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      format: "{label} | {tweets} tweets | {rate} tweets/s",
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  let doneTweets = 0;
  let done = 0;
  const running = new Map<string, { bar: cliProgress.SingleBar; start: number; tweets: number }>();
  const overall = multi.create(
    tasks,
    0,
    { label: "all files", tweets: 0, rate: 0 },
    {
      format: "{label} [{bar}] {value}/{total} files | {tweets} tweets | {rate} tweets/s",
    },
  );
  const refreshOverall = () => {
    const live = [...running.values()].reduce((n, r) => n + r.tweets, 0);
    const tweets = doneTweets + live;
    const rate = Math.round(tweets / Math.max((performance.now() - started) / 1000, 1e-3));
    overall.update(done, { tweets, rate });
  };
  return {
    listener(event: RunEvent) {
      if (event.type === "done") {
        const key = `${event.report.db}:${event.report.file}`;
        const entry = running.get(key);
        if (entry) multi.remove(entry.bar);
        running.delete(key);
        done++;
        doneTweets += event.report.tweets;
        if (event.report.status !== "loaded") multi.log(`${finishedLine(event.report)}\n`);
        refreshOverall();
        return;
      }
      const key = `${event.db}:${event.file}`;
      let entry = running.get(key);
      if (!entry) {
        const label = `${basename(event.file)} → ${event.db}`;
        entry = {
          bar: multi.create(1, 0, { label, tweets: 0, rate: 0 }),
          start: performance.now(),
          tweets: 0,
        };
        running.set(key, entry);
      }
      if (event.type === "progress") {
        entry.tweets = event.tweets;
        const seconds = Math.max((performance.now() - entry.start) / 1000, 1e-3);
        entry.bar.update(0, { tweets: event.tweets, rate: Math.round(event.tweets / seconds) });
      }
      refreshOverall();
    },
    stop: () => multi.stop(),
  };
}

/**
 * Bars when `stream` is a terminal, else lines, with a progress line every `everyMs`
 * (0: none); `quiet` shows nothing.
 */
export function progressDisplay(
  stream: NodeJS.WriteStream,
  tasks: number,
  quiet = false,
  everyMs = DEFAULT_PROGRESS_EVERY_MS,
): ProgressDisplay {
  if (quiet) return { listener: () => {}, stop() {} };
  return stream.isTTY ? barDisplay(stream, tasks) : lineDisplay(stream, tasks, everyMs);
}
