import type { CaseSummary } from "./summary.js";

/** What one load costs per tweet, spread over the cores it could use. */
export interface PerCoreCost {
  jobs: number;
  /** min(jobs, cores): the cores the load could keep busy. */
  cores: number;
  /** Wall µs per tweet × cores in use: the time on C cores is about tweets × this ÷ C. */
  wallUsPerTweetCore: number;
  /** Client CPU (user + system) µs per tweet, all threads. */
  clientCpuUsPerTweet?: number;
  /** Client CPU over (wall × the machine's cores): how much of the machine the client took. */
  clientShare?: number;
  walBytesPerTweet?: number;
  commitsPerTweet?: number;
  walMBPerSecond?: number;
}

export function perCoreCost(s: CaseSummary, jobs: number, machineCores: number): PerCoreCost {
  const cores = Math.max(1, Math.min(jobs, machineCores));
  const tweets = s.tweets > 0 ? s.tweets : Number.NaN;
  const cost: PerCoreCost = {
    jobs,
    cores,
    wallUsPerTweetCore: ((s.wallSeconds * cores) / tweets) * 1e6,
  };
  if (s.cpuSeconds !== undefined) {
    cost.clientCpuUsPerTweet = (s.cpuSeconds / tweets) * 1e6;
    cost.clientShare = s.cpuSeconds / (s.wallSeconds * machineCores);
  }
  if (s.walBytes !== undefined) {
    cost.walBytesPerTweet = s.walBytes / tweets;
    cost.walMBPerSecond = s.walBytes / 1e6 / s.wallSeconds;
  }
  if (s.xactCommit !== undefined) cost.commitsPerTweet = s.xactCommit / tweets;
  return cost;
}

/**
 * What most likely stops this load from going faster with more jobs, read from
 * its figures (not a profile): a commit per tweet waits for the WAL flush; no
 * speedup from more jobs means one worker and one server backend do the file;
 * a client taking most of the machine is CPU-bound; otherwise the server (its
 * CPU, WAL writes, locks) holds the rest of the time.
 */
export function likelyLimit(cost: PerCoreCost, speedup: number | undefined): string {
  if (cost.commitsPerTweet !== undefined && cost.commitsPerTweet >= 0.5) {
    return "commit rate: one WAL flush per tweet (see the commit floor)";
  }
  if (cost.jobs > 1 && speedup !== undefined && speedup < 1.15) {
    return "one worker: the file is not spread over the jobs (one client thread, one server backend)";
  }
  if (cost.clientShare !== undefined && cost.clientShare >= 0.6) {
    return "client CPU (parsing, transforming)";
  }
  const wal =
    cost.walMBPerSecond === undefined ? "" : `, WAL at ${cost.walMBPerSecond.toFixed(0)} MB/s`;
  return `the server: its CPU and writes${wal}`;
}
