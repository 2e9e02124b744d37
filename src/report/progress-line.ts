import type { RunEvent } from "../run/types.js";

/** Default of `load --progress-every`: often enough for a CI log, rare enough to read. */
export const DEFAULT_PROGRESS_EVERY_MS = 10_000;

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * Counts a run's tweets and finished files from its events, and says every `everyMs` how
 * far it is, for logs without a terminal (a CI job shows a long load moving):
 * `progress 20.0 s: 3 of 10 files done, 12,345 tweets, 640 tweets/s (last 10.0 s), 617 tweets/s overall`.
 * Tweets of files in flight count as they are sent (every PROGRESS_EVERY tweets); a file
 * tried again after a lost connection counts from 0 again, as its report will.
 */
export class ProgressTicker {
  private readonly started = performance.now();
  private readonly running = new Map<string, number>();
  private doneTweets = 0;
  private done = 0;
  private lastTweets = 0;
  private lastAt = this.started;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tasks: number,
    everyMs: number,
    write: (line: string) => void,
  ) {
    if (everyMs <= 0) return;
    this.timer = setInterval(() => write(this.line()), everyMs);
    // A ticking timer must not keep a finished process alive.
    this.timer.unref();
  }

  listener(event: RunEvent): void {
    if (event.type === "done") {
      const { db, file } = event.report;
      this.running.delete(`${db}\n${file}`);
      this.done++;
      this.doneTweets += event.report.status === "loaded" ? event.report.tweets : 0;
    } else {
      this.running.set(`${event.db}\n${event.file}`, event.type === "progress" ? event.tweets : 0);
    }
  }

  /** The line for now; moves the "last period" mark. */
  line(now = performance.now()): string {
    let tweets = this.doneTweets;
    for (const live of this.running.values()) tweets += live;
    const seconds = (now - this.started) / 1000;
    const period = (now - this.lastAt) / 1000;
    const recent = period > 0 ? (tweets - this.lastTweets) / period : 0;
    this.lastTweets = tweets;
    this.lastAt = now;
    const overall = seconds > 0 ? tweets / seconds : 0;
    return (
      `progress ${seconds.toFixed(1)} s: ${this.done} of ${this.tasks} files done, ` +
      `${fmt(tweets)} tweets, ${fmt(recent)} tweets/s (last ${period.toFixed(1)} s), ` +
      `${fmt(overall)} tweets/s overall`
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
