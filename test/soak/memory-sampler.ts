import { readFile } from "node:fs/promises";

/** Resident memory of a process in MB, from /proc (Linux); undefined once it has exited. */
async function rssMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Samples a process's resident memory every `everyMs` until stop() is called. */
export function sampleMemory(pid: number, everyMs = 1000) {
  const samples: number[] = [];
  const timer = setInterval(() => {
    void rssMb(pid).then((mb) => {
      if (mb !== undefined) samples.push(mb);
    });
  }, everyMs);
  return {
    samples,
    stop() {
      clearInterval(timer);
      return samples;
    },
  };
}

/**
 * Whether memory stayed flat: after a warm-up (the first tenth of the samples), the peak
 * of the second half is at most `ratio` times the peak of the first half plus `slackMb`.
 * A leak that grows with the tweets loaded makes the second half higher; a run too short
 * to tell (under 6 samples) passes, and the caller reports the figures anyway.
 */
export function isFlat(samples: readonly number[], ratio = 1.25, slackMb = 48): boolean {
  const steady = samples.slice(Math.ceil(samples.length / 10));
  if (steady.length < 6) return true;
  const half = Math.floor(steady.length / 2);
  const first = Math.max(...steady.slice(0, half));
  const second = Math.max(...steady.slice(half));
  return second <= first * ratio + slackMb;
}
