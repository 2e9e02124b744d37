import { UserError } from "./errors.js";

/**
 * Refuses a whole-number option below `least` with the sentence the command line gives for
 * its flag (a UserError, exit 2): the library and the CLI refuse the same value alike.
 */
export function requireWholeNumber(flag: string, value: unknown, least: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < least) {
    throw new UserError(`${flag} must be a whole number of at least ${least}, not ${value}.`, 2);
  }
}

/** Refuses a value that is not one of `choices`, naming the flag and the choices. */
export function requireChoice(flag: string, value: unknown, choices: readonly string[]): void {
  if (value === undefined || choices.includes(value as string)) return;
  throw new UserError(`${flag} is one of ${choices.join(", ")}, not ${JSON.stringify(value)}.`, 2);
}
