import { envFlag } from "../env.js";

/**
 * `TWEETLOAD_TRACE=1`: one line on stderr per step of a load's start-up, in milliseconds
 * since the process started (Node's own start included), so that the fixed cost before
 * the first COPY can be read off a real run. Workers print on the same clock: the main
 * thread leaves its time origin in the environment, which a worker copies when it starts.
 */
const ORIGIN_VAR = "TWEETLOAD_TRACE_ORIGIN";

function origin(): number {
  const inherited = Number(process.env[ORIGIN_VAR]);
  if (Number.isFinite(inherited) && inherited > 0) return inherited;
  process.env[ORIGIN_VAR] = String(performance.timeOrigin);
  return performance.timeOrigin;
}

const enabled = envFlag("TWEETLOAD_TRACE");
const t0 = enabled ? origin() : 0;

/** Notes that `step` is reached now; nothing unless TWEETLOAD_TRACE is set. */
export function trace(step: string): void {
  if (!enabled) return;
  const ms = performance.timeOrigin + performance.now() - t0;
  process.stderr.write(`trace ${ms.toFixed(1).padStart(8)} ms  ${step}\n`);
}
