import { PROGRESS_EVERY } from "./types.js";

/**
 * The onProgress hook of a file's or a chunk's load: passes the running count on about
 * every PROGRESS_EVERY tweets, so the main thread is not told of every batch.
 */
export function progressHook(onProgress: (tweets: number) => void): (tweets: number) => void {
  let last = 0;
  return (tweets) => {
    if (tweets - last >= PROGRESS_EVERY) {
      last = tweets;
      onProgress(tweets);
    }
  };
}
