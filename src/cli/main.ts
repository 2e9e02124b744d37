import yargs, { type Argv } from "yargs";
import { UserError } from "../errors.js";
import { trace } from "../report/trace.js";
import { DB_SUBCOMMANDS } from "./commands/db.js";
import { commands } from "./commands/index.js";
import { STDIN_ARG } from "./commands/load.js";
import { exitCodesEpilogue } from "./exit-codes.js";
import { installInterrupts } from "./interrupts.js";
import { refuseNotANumber } from "./number-options.js";
import { reportFatal } from "./report-fatal.js";
import { helpPointer, usageSentence } from "./usage-message.js";

trace("CLI modules loaded");

type Command = (typeof commands)[number];

/** Every command path a usage error can point the user at (`db reset` before `db`). */
const commandPaths = (): string[] => [
  ...commands.map((c) => String(c.command).split(" ")[0] ?? ""),
  ...DB_SUBCOMMANDS.map((sub) => `db ${sub}`),
];

/** Builds the yargs parser for `argv`; exported so tests can parse without spawning. */
export function buildCli(argv: readonly string[]) {
  // yargs loses a lone "-" given as a positional (yargs/yargs#1312): it travels as a token.
  let cli = yargs(argv.map((arg) => (arg === "-" ? STDIN_ARG : arg)))
    .scriptName("tweetload")
    .usage("$0 <command> [options]\n\nBulk-load Twitter API v1.1 archives into PostgreSQL.")
    .strict()
    .demandCommand(1, "Name a command.")
    .recommendCommands()
    // yargs reads `--jobs abc` as NaN: refuse it by name before any command runs.
    .check((parsed) => refuseNotANumber(parsed, argv))
    // A usage error is one sentence and a pointer to --help, not the whole help (exit 2).
    .fail((message, error) => {
      if (error && !(error instanceof UserError) && error.name !== "YError") throw error;
      if (error instanceof UserError && error.exitCode !== 2) throw error;
      const sentence = usageSentence(message ?? error?.message ?? "", argv, commandPaths());
      throw new UserError(`${sentence}\n${helpPointer(argv, commandPaths())}`, 2, {
        cause: error,
      });
    })
    .epilogue(exitCodesEpilogue())
    .help()
    .alias("h", "help")
    .version()
    .wrap(Math.min(110, process.stdout.columns ?? 100));
  for (const command of commands) cli = cli.command(withExitCodes(command));
  return cli;
}

/** The command with the exit codes under its own --help too (yargs shows the top epilogue only at the top). */
function withExitCodes(command: Command): Command {
  const { builder } = command;
  return {
    ...command,
    builder: (y: Argv) => {
      const built = typeof builder === "function" ? builder(y) : y.options(builder ?? {});
      return (built as Argv).epilogue(exitCodesEpilogue());
    },
  };
}

/** Entry point of the `tweetload` executable: one top-level catch turns errors into one sentence. */
export async function runCli(argv: readonly string[]): Promise<void> {
  installInterrupts();
  try {
    await buildCli(argv).parseAsync();
  } catch (error) {
    process.exitCode = reportFatal(error);
  }
}
