/**
 * Turns yargs' complaint about a command line into the one sentence `tweetload` prints,
 * with a suggestion where one is close ("did you mean denormalized?").
 */
export function usageSentence(
  message: string,
  rawArgv: readonly string[],
  commandPaths: readonly string[] = [],
): string {
  const choice = /Argument: ([^,]+), Given: "([^"]*)", Choices: (.+)$/m.exec(message);
  if (choice) {
    const [, name = "", given = "", list = ""] = choice;
    const choices = [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? "");
    const near = closest(given, choices);
    return `--${name} ${JSON.stringify(given)} is not one of ${choices.join(", ")}${near ? `: did you mean ${near}?` : "."}`;
  }
  // recommendCommands gives only "Did you mean load?": say what was not understood.
  const typed = commandTyped(rawArgv, commandPaths);
  if (/^Did you mean/.test(message)) {
    const words = rawArgv.filter((arg) => !arg.startsWith("-"));
    const word = words[typed ? typed.split(" ").length : 0] ?? "";
    return `unknown command ${JSON.stringify(word)}: ${message.replace(/^D/, "d")}`;
  }
  if (/^Not enough non-option arguments/.test(message)) {
    const subcommands = commandPaths
      .filter((path) => typed && path.startsWith(`${typed} `))
      .map((path) => path.slice(typed.length + 1));
    return subcommands.length > 0
      ? `name a ${typed} command: ${subcommands.join(", ")}.`
      : "name at least one file or folder to work on.";
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(message);
  if (missing) {
    const flags = (missing[1] ?? "").split(", ").map((name) => `--${name}`);
    return `${flags.join(" and ")} ${flags.length > 1 ? "are" : "is"} required.`;
  }
  const text = message.replace(/\s*\n\s*/g, " ").trim();
  const sentence = text.charAt(0).toLowerCase() + text.slice(1);
  return /[.?!]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** The longest command path (`db reset`) that the command line starts with, if any. */
function commandTyped(rawArgv: readonly string[], commandPaths: readonly string[]) {
  const words = rawArgv.filter((arg) => !arg.startsWith("-"));
  return commandPaths
    .filter((p) => p.split(" ").every((w, i) => words[i] === w))
    .sort((a, b) => b.length - a.length)[0];
}

/** The pointer printed under a usage error: the help of the command that was typed. */
export function helpPointer(rawArgv: readonly string[], commandPaths: readonly string[]): string {
  const path = commandTyped(rawArgv, commandPaths);
  return path
    ? `Run \`tweetload ${path} --help\` for its options.`
    : "Run `tweetload --help` for the commands.";
}

/** The choice nearest to `given` by edit distance, when it is near enough to be a typo. */
export function closest(given: string, choices: readonly string[]): string | undefined {
  let best: { choice: string; distance: number } | undefined;
  for (const choice of choices) {
    const distance = editDistance(given.toLowerCase(), choice.toLowerCase());
    if (!best || distance < best.distance) best = { choice, distance };
  }
  const allowed = Math.max(2, Math.floor(given.length / 3));
  return best && best.distance <= allowed ? best.choice : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions cost one each. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
