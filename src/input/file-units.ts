import { cutChunks, type FileChunk } from "./chunk-cutter.js";
import { isTarName } from "./tar-entries.js";
import { tarUnits } from "./tar-units.js";
import type { InputOptions } from "./types.js";

/**
 * The units a file loaded in parallel is cut into: a tar's members (tarUnits), else
 * chunks of lines of its zip members or of itself (cutChunks).
 */
export function fileUnits(
  file: string,
  chunkLines: number,
  options: InputOptions = {},
): AsyncGenerator<FileChunk> {
  return isTarName(file)
    ? tarUnits(file, chunkLines, options)
    : cutChunks(file, chunkLines, options);
}

/** Whether a file loads in units even when it could load whole (a tar: its members). */
export const loadsByMember = (file: string): boolean => isTarName(file);
