import { loadsByMember } from "../input/file-units.js";

/**
 * Lines per chunk of a file loaded in parallel unless --chunk-lines says otherwise.
 * Measured (docs/internals.md, "Parallel within a file"): big enough that a chunk's transaction,
 * journal row and hand-over cost little against its load, small enough that two chunks
 * per worker in memory stay far below 512 MB (2,000 lines of 3-6 KB tweets: 6-12 MB).
 */
export const DEFAULT_CHUNK_LINES = 2000;

/**
 * The chunk size a load cuts its files into, or undefined when files load whole. Files are
 * cut only when there are fewer of them than workers: then whole files would leave
 * workers idle (one big archive on one core). With as many files as workers every worker
 * has a file anyway, and whole files cost less: measured on 50,000 tweets in 10 files at
 * -j 2, chunks took about 15% more client CPU (normalized_batch: 3.67-3.95 s user against
 * 3.18-3.46 s), for no gain in wall time. On one thread (jobs 1) and with --chunk-lines 0,
 * files load whole.
 */
export function chunkLinesFor(
  jobs: number,
  files: number,
  chunkLines?: number,
): number | undefined {
  const lines = chunkLines ?? DEFAULT_CHUNK_LINES;
  if (jobs <= 1 || lines <= 0 || files >= jobs) return undefined;
  return lines;
}

/**
 * The chunk size of one file of a load: chunkLinesFor's, except that a tar always loads
 * by member (tar-units.ts), at any --jobs, unless --chunk-lines is 0: each member (or
 * chunk of a big one) is its own transaction and journal row, so a month's tar killed
 * after hours resumes where it stopped, and the report counts each member.
 */
export function chunkLinesOf(
  file: string,
  jobs: number,
  files: number,
  chunkLines?: number,
): number | undefined {
  if (loadsByMember(file)) {
    const lines = chunkLines ?? DEFAULT_CHUNK_LINES;
    return lines > 0 ? lines : undefined;
  }
  return chunkLinesFor(jobs, files, chunkLines);
}
