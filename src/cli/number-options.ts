import { UserError } from "../errors.js";

/**
 * yargs reads `--jobs abc` as NaN and says nothing: this finds such an option and names
 * it with what was typed. Keys with capitals are yargs' camel-case twins and one-letter
 * keys are aliases; both are skipped so the flag is named as the user knows it.
 */
export function refuseNotANumber(argv: Record<string, unknown>, rawArgv: readonly string[]): true {
  for (const [key, value] of Object.entries(argv)) {
    if (key.length < 2 || /[A-Z]/.test(key)) continue;
    const values = Array.isArray(value) ? value : [value];
    if (!values.some((v) => typeof v === "number" && Number.isNaN(v))) continue;
    const typed = typedValue(rawArgv, key);
    throw new UserError(
      `--${key} must be a number${typed === undefined ? "" : `, not ${JSON.stringify(typed)}`}.`,
      2,
    );
  }
  return true;
}

/** What followed `--key` (or `--key=`) on the command line. */
function typedValue(rawArgv: readonly string[], key: string): string | undefined {
  for (let i = 0; i < rawArgv.length; i++) {
    const arg = rawArgv[i] ?? "";
    if (arg.startsWith(`--${key}=`)) return arg.slice(key.length + 3);
    if (arg === `--${key}`) return rawArgv[i + 1];
  }
  return undefined;
}
