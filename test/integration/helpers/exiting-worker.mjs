// A test-only piscina entry (startWorkerPool's `entry`): the compiled worker, except that the
// first worker whose file reports TWEETLOAD_TEST_WORKER_EXIT_AT tweets ends its thread
// mid-file, as a crash would; or, with TWEETLOAD_TEST_WORKER_EXIT_CHUNK, the first worker
// handed a chunk of that number or later ends its thread before loading it (chunks before
// it have been committed or are in flight on other workers). Once per run: the worker that
// creates TWEETLOAD_TEST_WORKER_EXIT_MARKER. Plain JavaScript because piscina imports it
// in a worker thread, outside vitest.
import { openSync } from "node:fs";
import run from "../../../dist/run/worker.js";

const at = Number(process.env.TWEETLOAD_TEST_WORKER_EXIT_AT);
const marker = process.env.TWEETLOAD_TEST_WORKER_EXIT_MARKER;
const atChunk = Number(process.env.TWEETLOAD_TEST_WORKER_EXIT_CHUNK);

function exitOnce(tweets) {
  if (!(at > 0) || tweets < at) return;
  exitNow();
}

function exitNow() {
  if (!marker) return;
  try {
    openSync(marker, "wx");
  } catch {
    return;
  }
  process.exit(1);
}

export default function exitingRun(message) {
  if (message.kind === "chunk" && atChunk >= 0 && message.work.key.index >= atChunk) exitNow();
  if (message.kind === "load" || message.kind === "chunk") {
    const { progress } = message;
    const post = progress.postMessage.bind(progress);
    progress.postMessage = (tweets) => {
      exitOnce(tweets);
      post(tweets);
    };
  }
  return run(message);
}
