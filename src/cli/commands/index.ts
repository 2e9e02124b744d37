import type { CommandModule } from "yargs";

/**
 * Every subcommand of `tweetload`, one module each. Add yours here.
 */
// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types
export const commands: CommandModule<any, any>[] = [];
