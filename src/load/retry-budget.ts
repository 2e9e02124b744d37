import { errorKinds } from "../errors.js";

/**
 * Default of `--retry-for`: how long a file keeps being tried again after its first lost
 * connection. A server restart takes seconds to tens of seconds (a crash recovery, a
 * container pulled up again): 60 s outlasts a 30 s restart with room for the backoff's
 * last step, and a server down for longer is an outage the user should hear about.
 */
export const DEFAULT_RETRY_FOR_MS = 60_000;

/** Longest pause between two tries of a file. */
export const MAX_BACKOFF_MS = 8000;

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

/**
 * Milliseconds of a duration written `90`, `90s`, `90sec`, `1.5m`, `5min`, `500ms` or `1h`
 * (a bare number is seconds); undefined when the text is not one.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|sec|s|min|m|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * (UNITS[(m[2] ?? "s").toLowerCase()] as number));
}

/** A duration for people: `4 s`, `1 min 30 s`, `250 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return s % 60 === 0 ? `${s / 60} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** Pause before try `n + 1` of a file: 0.25 s doubling to MAX_BACKOFF_MS, jittered ±25%. */
export const fileBackoffMs = (n: number, random: () => number = Math.random): number =>
  Math.min(MAX_BACKOFF_MS, 250 * 2 ** (n - 1)) * (0.75 + random() * 0.5);

/**
 * The time budget of one file's tries: it starts at the file's first transient failure and
 * lasts `budgetMs`; `maxTries` (the deprecated --retries + 1) caps the tries as well.
 */
export class RetryBudget {
  private deadline: number | undefined;

  constructor(
    private readonly budgetMs: number,
    private readonly maxTries = Number.POSITIVE_INFINITY,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * After try `attempt` failed: the pause before the next try and the time left after it,
   * or undefined when the budget (or the count of tries) is spent.
   */
  next(attempt: number): { waitMs: number; leftMs: number } | undefined {
    const now = this.now();
    this.deadline ??= now + this.budgetMs;
    const left = this.deadline - now;
    if (attempt >= this.maxTries || left <= 0) return undefined;
    const waitMs = Math.min(fileBackoffMs(attempt), left);
    return { waitMs, leftMs: left - waitMs };
  }
}

/** What went wrong, for the retry log: a lost connection or a deadlock-like conflict. */
export function transientKind(error: unknown): "conflict" | "connection" {
  return errorKinds(error).includes("conflict") ? "conflict" : "connection";
}
