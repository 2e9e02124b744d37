import type { CommandModule } from "yargs";
import { dbCommand } from "./db.js";

/**
 * Every subcommand of `tweetload`, one module each. Add yours here.
 */
// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types
export const commands: CommandModule<any, any>[] = [dbCommand];
