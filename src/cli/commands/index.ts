import type { CommandModule } from "yargs";
import { benchCommand } from "./bench.js";
import { checkCommand } from "./check.js";
import { dbCommand } from "./db.js";
import { generateCommand } from "./generate.js";
import { loadCommand } from "./load.js";
import { startCommand } from "./start.js";

/**
 * Every subcommand of `tweetload`, one module each. Add yours here.
 */
// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types
export const commands: CommandModule<any, any>[] = [
  dbCommand,
  loadCommand,
  benchCommand,
  generateCommand,
  checkCommand,
  startCommand,
];
