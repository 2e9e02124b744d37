import { isUtf8 } from "node:buffer";
import type { LongLine } from "./pending-line.js";
import type { InputLine } from "./types.js";

type Where = Pick<InputLine, "file" | "member" | "lineNo">;

/** The line the input rules out for being longer than `max` bytes; it keeps the head. */
export function longLineReject(where: Where, line: LongLine, max: number): InputLine {
  return {
    ...where,
    text: line.head.toString("utf8"),
    error: `the line is ${line.bytes} bytes long, more than --max-line-bytes ${max}; its first ${line.head.length} bytes are kept here (raise --max-line-bytes if it is a real tweet)`,
  };
}

/** Continuation bytes a UTF-8 lead byte takes, or -1 for a byte that leads no sequence. */
function trailOf(b: number): number {
  if (b < 0x80) return 0;
  if (b >= 0xc2 && b <= 0xdf) return 1;
  if (b >= 0xe0 && b <= 0xef) return 2;
  if (b >= 0xf0 && b <= 0xf4) return 3;
  return -1;
}

/**
 * Offset of the first byte that breaks UTF-8 in `bytes` (known not to be UTF-8), for the
 * message: the structure is checked, and the rarer overlong or surrogate forms fall back
 * to the first sequence isUtf8 refuses.
 */
function firstBadOffset(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const trail = trailOf(bytes[i] as number);
    let ok = trail >= 0 && i + trail < bytes.length;
    for (let k = 1; ok && k <= trail; k++) ok = ((bytes[i + k] as number) & 0xc0) === 0x80;
    if (!ok || !isUtf8(bytes.subarray(i, i + trail + 1))) return i;
    i += trail + 1;
  }
  return 0;
}

/** The line ruled out for bytes that are not UTF-8; its text shows them as U+FFFD. */
export function notUtf8Reject(where: Where, bytes: Buffer): InputLine {
  const at = firstBadOffset(bytes);
  const byte = (bytes[at] ?? 0).toString(16).padStart(2, "0");
  return {
    ...where,
    text: bytes.toString("utf8"),
    error: `not UTF-8 text: byte 0x${byte} at offset ${at} of the line; convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
  };
}
