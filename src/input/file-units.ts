import { cutChunks, type FileChunk } from "./chunk-cutter.js";
import { isTarName } from "./tar-entries.js";
import { decodingAhead, tarUnits } from "./tar-units.js";
import type { InputOptions } from "./types.js";

/**
 * The units a file loaded in parallel is cut into: a tar's members (tarUnits), decoded
 * ahead where that costs this thread nothing, else chunks of lines of its zip members or
 * of itself (cutChunks).
 */
export function fileUnits(
  file: string,
  chunkLines: number,
  options: InputOptions = {},
): AsyncGenerator<FileChunk> {
  if (!isTarName(file)) return cutChunks(file, chunkLines, options);
  return decodingAhead(tarUnits(file, chunkLines, options));
}

/** Whether a file loads in units even when it could load whole (a tar: its members). */
export const loadsByMember = (file: string): boolean => isTarName(file);
