import yargs from "yargs";
import { commands } from "./commands/index.js";
import { STDIN_ARG } from "./commands/load.js";
import { reportFatal } from "./report-fatal.js";

/** Builds the yargs parser for `argv`; exported so tests can parse without spawning. */
export function buildCli(argv: readonly string[]) {
  // yargs loses a lone "-" given as a positional (yargs/yargs#1312): it travels as a token.
  let cli = yargs(argv.map((arg) => (arg === "-" ? STDIN_ARG : arg)))
    .scriptName("tweetload")
    .usage("$0 <command> [options]\n\nBulk-load Twitter API v1.1 archives into PostgreSQL.")
    .strict()
    .demandCommand(1, "Name a command; `tweetload --help` lists them.")
    .recommendCommands()
    .fail((msg, err, y) => {
      if (err) throw err;
      y.showHelp();
      console.error(`\n${msg}`);
      process.exit(2);
    })
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100));
  for (const command of commands) cli = cli.command(command);
  return cli;
}

/** Entry point of the `tweetload` executable: one top-level catch turns errors into one sentence. */
export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await buildCli(argv).parseAsync();
  } catch (error) {
    process.exitCode = reportFatal(error);
  }
}
