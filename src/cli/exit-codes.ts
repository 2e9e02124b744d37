/** The exit codes of every command, for `--help` and the README. */
export const EXIT_CODES: readonly (readonly [number, string])[] = [
  [0, "done: every file loaded (or was already loaded), every check passed"],
  [
    1,
    "something failed: a file, a check, a database that could not be used (the message says which)",
  ],
  [2, "usage: a wrong command, option, value or path; nothing was started"],
  [3, "loaded, but tag views are stale (refresh timed out or failed): run tweetload db refresh"],
  [130, "interrupted (Ctrl-C): files in flight rolled back; run the same command again to finish"],
];

export const exitCodesEpilogue = (): string =>
  `Exit codes:\n${EXIT_CODES.map(([code, meaning]) => `  ${String(code).padEnd(4)}${meaning}`).join("\n")}`;
