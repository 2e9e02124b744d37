/**
 * Lines per chunk of a file loaded in parallel unless --chunk-lines says otherwise.
 * Measured (README, "Parallel within a file"): big enough that a chunk's transaction,
 * journal row and hand-over cost little against its load, small enough that two chunks
 * per worker in memory stay far below 512 MB (2,000 lines of 3-6 KB tweets: 6-12 MB).
 */
export const DEFAULT_CHUNK_LINES = 2000;

/**
 * The chunk size a load cuts its files into, or undefined when files load whole: on one
 * thread (jobs 1), and when --chunk-lines is 0.
 */
export function chunkLinesFor(
  jobs: number,
  files: number,
  chunkLines?: number,
): number | undefined {
  const lines = chunkLines ?? DEFAULT_CHUNK_LINES;
  if (jobs <= 1 || lines <= 0 || files < 1) return undefined;
  return lines;
}
