import type { Argv, CommandModule } from "yargs";
import { checkShardCount, SHARDS_HELP } from "../../db/citus-shards.js";
import { DB_KINDS, type DbChoice, databaseName, kindsOf } from "../../db/kinds.js";
import { redactSecrets, redactUrl, resolveTargetsOf, targetFlagsOf } from "../../db/targets.js";
import { environment } from "../../env.js";
import { UserError } from "../../errors.js";
import { type HomeArgs, type TargetArgs, withTargetOptions } from "../target-options.js";

/** --shards with --citus only, and a count Citus takes: else a usage error (exit 2). */
export function checkShardArgs(argv: { shards?: number; citus?: boolean }): void {
  if (argv.shards !== undefined && !argv.citus) {
    throw new UserError("--shards only applies with --citus: add --citus, or drop --shards.", 2);
  }
  try {
    if (argv.shards !== undefined) checkShardCount(argv.shards);
  } catch (error) {
    throw new UserError((error as Error).message, 2);
  }
}

type InitArgs = HomeArgs &
  TargetArgs & { db: DbChoice | DbChoice[]; citus: boolean; shards?: number };

const progress = (line: string) => console.error(`  ${line}`);

/**
 * `db init`: makes what is missing and keeps what is there, so it may run on every start
 * (the compose profile `citus` does): the database, its schema, and with `--citus` the
 * cluster's share (the database on every node, extensions, workers registered, the tables
 * distributed when they are not yet).
 */
export const init: CommandModule<object, InitArgs> = {
  command: "init",
  describe:
    "Make what is missing and keep the data: the databases, their schemas; with --citus the databases on every node of a Citus cluster, laid out over it",
  builder: (yargs) =>
    withTargetOptions(yargs)
      .option("db", {
        choices: [...DB_KINDS, "all"],
        default: "all",
        describe: "Which database to make (repeat the flag for two)",
      })
      .option("citus", {
        type: "boolean",
        default: false,
        describe:
          "The URL is a Citus coordinator, whose postgres database lists the workers: make the database and its extensions on every node, register the workers in it, distribute the tables (docs/citus.md)",
      })
      .option("shards", { type: "number", describe: SHARDS_HELP }) as unknown as Argv<InitArgs>,
  handler: async (argv) => {
    const env = environment(argv.home);
    const kinds = kindsOf(argv.db);
    const targets = await resolveTargetsOf(kinds, targetFlagsOf(argv), env);
    checkShardArgs(argv);
    const { initDatabase } = await import("../../db/init-database.js");
    const { initDistributed } = await import("../../db/citus.js");
    for (const kind of kinds) {
      const url = targets[kind];
      let said: string;
      try {
        if (argv.citus) {
          const layout = await initDistributed(url, kind, argv.shards);
          for (const line of layout.setup) progress(line);
          said =
            layout.shards > 0
              ? `, distributed over Citus in ${layout.shards} shards per table`
              : ", already distributed over Citus: kept";
        } else {
          said = (await initDatabase(url, kind)) ? ", made" : ", present: kept";
        }
      } catch (error) {
        const reason = redactSecrets((error as Error).message, [url]);
        throw new UserError(
          `cannot initialise ${databaseName(kind)} at ${redactUrl(url)}: ${reason}`,
          1,
          { cause: error },
        );
      }
      console.log(`${databaseName(kind)} (${redactUrl(url)})${said}`);
    }
  },
};
