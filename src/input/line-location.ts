import type { InputLine } from "./types.js";

/** Where a line is, for messages and reject warnings: `file member:line` (`file:line` outside a zip). */
export const lineLocation = (line: Pick<InputLine, "file" | "member" | "lineNo">): string =>
  `${line.file}${line.member === null ? "" : ` ${line.member}`}:${line.lineNo}`;
