import { PROGRESS_EVERY } from "./types.js";

/**
 * The onProgress hook of a file's or a chunk's load: keeps `rejects.tweets` current (a
 * reject limit that is a share is judged against it) and passes the running count on
 * about every PROGRESS_EVERY tweets, so the main thread is not told of every batch.
 */
export function progressHook(
  rejects: { tweets: number },
  onProgress: (tweets: number) => void,
): (tweets: number) => void {
  let last = 0;
  return (tweets) => {
    rejects.tweets = tweets;
    if (tweets - last >= PROGRESS_EVERY) {
      last = tweets;
      onProgress(tweets);
    }
  };
}
