import type { Argv, CommandModule } from "yargs";
import { SHARDS_HELP } from "../../db/citus-shards.js";
import type { embeddedStatus } from "../../db/embedded.js";
import { runningEmbeddedTargets, tweetloadHome } from "../../db/embedded-state.js";
import { DB_KINDS, type DbChoice, databaseName, kindsOf, type Targets } from "../../db/kinds.js";
import { STORAGES, type Storage } from "../../db/storage-names.js";
import {
  redactSecrets,
  redactUrl,
  resolveTargetsOf,
  targetEnvName,
  targetFlagsOf,
} from "../../db/targets.js";
import { environment } from "../../env.js";
import { UserError } from "../../errors.js";
import { endSessionsAfterMs, resetLockWatch } from "../reset-waits.js";
import {
  type HomeArgs,
  type TargetArgs,
  targetsFromArgv,
  withHomeOption,
  withTargetOptions,
} from "../target-options.js";
import { checkShardArgs, init } from "./db-init.js";

/** The environment a subcommand resolves targets in: `--home` overrides TWEETLOAD_HOME. */
const envWithHome = (argv: HomeArgs) => environment(argv.home);

const progress = (line: string) => console.error(`  ${line}`);

function printTargets(targets: Targets, showPasswords: boolean): void {
  for (const kind of DB_KINDS) {
    const url = showPasswords ? targets[kind] : redactUrl(targets[kind]);
    console.log(`${databaseName(kind).padEnd(20)} ${url}`);
  }
}

const up: CommandModule<object, HomeArgs & { showPasswords: boolean }> = {
  command: "up",
  describe:
    "Start the three embedded PostgreSQL clusters (create them and their schemas the first time)",
  builder: (yargs) =>
    withHomeOption(yargs).option("show-passwords", {
      type: "boolean",
      default: false,
      describe: "Print the URLs with their passwords",
    }) as unknown as Argv<HomeArgs & { showPasswords: boolean }>,
  handler: async (argv) => {
    const { embeddedUp } = await import("../../db/embedded.js");
    const targets = await embeddedUp({ env: envWithHome(argv), log: progress });
    printTargets(targets, argv.showPasswords);
    console.log(
      "\nOther tweetload commands use these until `tweetload db down`. " +
        'For other tools: eval "$(tweetload db env)".',
    );
  },
};

const down: CommandModule<object, HomeArgs & { purge: boolean }> = {
  command: "down",
  describe: "Stop the embedded clusters (their data stays unless --purge)",
  builder: (yargs) =>
    withHomeOption(yargs).option("purge", {
      type: "boolean",
      default: false,
      describe: "Also delete the clusters and their data",
    }),
  handler: async (argv) => {
    const { embeddedDown, embeddedPurge } = await import("../../db/embedded.js");
    const env = envWithHome(argv);
    const stopped = await embeddedDown({ env });
    console.log(
      stopped.length > 0
        ? `stopped ${stopped.map(databaseName).join(", ")}`
        : `no embedded cluster was running in ${tweetloadHome(env)}`,
    );
    if (argv.purge) {
      await embeddedPurge({ env });
      console.log(`deleted the clusters in ${tweetloadHome(env)}`);
    }
  },
};

/**
 * `db env` prints a shell script for `eval "$(tweetload db env)"`: its output is meant for
 * a shell, not for eyes or logs, so it holds the passwords, and it refuses to show them on
 * a terminal (where they would end up on screen or in a scrollback) unless asked.
 */
const env: CommandModule<object, HomeArgs & { showPasswords: boolean }> = {
  command: "env",
  describe:
    'Print shell exports of the databases\' URLs, with passwords, for eval "$(tweetload db env)" (not on a terminal without --show-passwords)',
  builder: (yargs) =>
    withHomeOption(yargs).option("show-passwords", {
      type: "boolean",
      default: false,
      describe: "Print the exports on a terminal too",
    }) as unknown as Argv<HomeArgs & { showPasswords: boolean }>,
  handler: async (argv) => {
    if (process.stdout.isTTY && !argv.showPasswords) {
      throw new UserError(
        'db env prints the URLs with their passwords, for a shell to read: run eval "$(tweetload db env)", or pass --show-passwords to print them here. `tweetload db status` shows them without passwords.',
        2,
      );
    }
    const targets = await targetsFromArgv({}, envWithHome(argv));
    for (const kind of DB_KINDS) {
      console.log(`export ${targetEnvName(kind)}=${shellQuote(targets[kind])}`);
    }
  },
};

/** `text` as one single-quoted shell word. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

const status: CommandModule<object, HomeArgs & TargetArgs & { json: boolean }> = {
  command: "status",
  describe: "Show each database: reachable, PostGIS or text geo mode, rows per table",
  builder: (yargs) =>
    withTargetOptions(yargs).option("json", {
      type: "boolean",
      default: false,
      describe: "Print JSON only",
    }),
  handler: async (argv) => {
    const [{ embeddedStatus }, { databaseStatus }] = await Promise.all([
      import("../../db/embedded.js"),
      import("../../db/status.js"),
    ]);
    const env = envWithHome(argv);
    const clusters = await embeddedStatus({ env });
    let targets: Targets | undefined;
    try {
      targets = await targetsFromArgv(argv, env);
    } catch (error) {
      // A URL of the wrong form is a usage error (exit 2), said as such; only "no database
      // given" is a status to show.
      if (!(error instanceof UserError) || error.exitCode === 2) throw error;
      if (argv.json) {
        console.log(JSON.stringify({ embedded: redactClusters(clusters), databases: null }));
      } else {
        console.log(describeClusters(clusters, tweetloadHome(env)));
        console.log("No databases to show: run `tweetload db up`, or pass URLs (see --help).");
      }
      process.exitCode = 1;
      return;
    }
    const urls = DB_KINDS.map((kind) => targets[kind]);
    const reports = (await Promise.all(urls.map((url) => databaseStatus(url)))).map((report) =>
      report.error === undefined ? report : { ...report, error: redactSecrets(report.error, urls) },
    );
    if (argv.json) {
      const databases = Object.fromEntries(
        DB_KINDS.map((kind, i) => [kind, { url: redactUrl(targets[kind]), ...reports[i] }]),
      );
      console.log(JSON.stringify({ embedded: redactClusters(clusters), databases }, null, 2));
    } else {
      console.log(describeClusters(clusters, tweetloadHome(env)));
      DB_KINDS.forEach((kind, i) => {
        const report = reports[i];
        console.log(`\n${databaseName(kind)}  ${redactUrl(targets[kind])}`);
        if (!report?.reachable) {
          console.log(`  not reachable: ${report?.error}`);
          return;
        }
        console.log(`  PostgreSQL ${report.serverVersion}, geo: ${describeGeo(report.geoMode)}`);
        if (report.storage) console.log(`  storage: ${report.storage}`);
        for (const [table, rows] of Object.entries(report.rowCounts ?? {})) {
          console.log(`  ${table.padEnd(26)} ${rows.toLocaleString("en-US").padStart(14)}`);
        }
      });
    }
    if (reports.some((report) => !report.reachable)) process.exitCode = 1;
  },
};

/** The clusters for `--json`, their URLs without the password (it is in embedded.json). */
const redactClusters = (clusters: Awaited<ReturnType<typeof embeddedStatus>>) =>
  clusters?.map((c) => ({ ...c, url: redactUrl(c.url) })) ?? null;

const describeGeo = (mode: string | undefined) =>
  mode === "postgis" ? "postgis (geometry, SRID 4326)" : "text (WKT, PostGIS not installed)";

function describeClusters(
  clusters: Awaited<ReturnType<typeof embeddedStatus>>,
  home: string,
): string {
  if (!clusters) return `Embedded clusters: none created in ${home}.`;
  const lines = clusters.map(
    (c) =>
      `  ${databaseName(c.kind).padEnd(20)} ${c.pid ? `running, pid ${c.pid}` : "stopped"}, port ${c.port}`,
  );
  return [`Embedded clusters in ${home}:`, ...lines].join("\n");
}

type ResetArgs = HomeArgs &
  TargetArgs & {
    db: DbChoice | DbChoice[];
    yes: boolean;
    citus: boolean;
    shards?: number;
    endSessionsAfter?: string;
    storage?: Storage;
  };

const reset: CommandModule<object, ResetArgs> = {
  command: "reset",
  describe: "Empty the databases: drop what the schema made and apply it again (all data is lost)",
  builder: (yargs) =>
    withTargetOptions(yargs)
      .option("db", {
        choices: [...DB_KINDS, "all"],
        default: "all",
        describe: "Which database to reset (repeat the flag for two)",
      })
      .option("yes", {
        type: "boolean",
        default: false,
        describe: "Allow wiping servers that are not tweetload's embedded clusters",
      })
      .option("citus", {
        type: "boolean",
        default: false,
        describe:
          "Distribute the tables over a Citus cluster: the URL is its coordinator, whose postgres database lists the workers; the database, its extensions and the workers' registration are made where missing (docs/citus.md)",
      })
      .option("shards", {
        type: "number",
        describe: SHARDS_HELP,
      })
      .option("end-sessions-after", {
        type: "string",
        describe:
          "when the reset waits for other sessions' locks (a running check or load, an open transaction), end those sessions after this wait (30s, 2m; 0 = at once); without it the reset waits for them, naming each on stderr",
      })
      .option("storage", {
        choices: STORAGES,
        describe:
          "How pg_denormalized stores each tweet: inline (uncompressed up to 8 KB, the default of a new database), pglz or lz4 (compressed; lz4 needs a server built with it). Without it, a reset keeps the storage the database has",
      }) as unknown as Argv<ResetArgs>,
  handler: async (argv) => {
    const env = envWithHome(argv);
    const kinds = kindsOf(argv.db);
    const endAfterMs = endSessionsAfterMs(argv.endSessionsAfter);
    // Only the databases being reset: `--db denormalized` needs no other URL.
    const targets = await resolveTargetsOf(kinds, targetFlagsOf(argv), env);
    const embedded = await runningEmbeddedTargets(tweetloadHome(env));
    const external = kinds.filter((kind) => targets[kind] !== embedded?.[kind]);
    if (external.length > 0 && !argv.yes) {
      const named = external
        .map((kind) => `${databaseName(kind)} (${redactUrl(targets[kind])})`)
        .join(", ");
      throw new UserError(
        `refusing to reset ${named}: it is not an embedded cluster of tweetload, and a reset deletes all its data. Pass --yes if the data may go.`,
        2,
      );
    }
    checkShardArgs(argv);
    if (argv.storage !== undefined && !kinds.includes("denormalized")) {
      throw new UserError(
        "--storage applies to pg_denormalized only: add --db denormalized, or drop --storage.",
        2,
      );
    }
    if (argv.storage !== undefined && argv.citus) {
      throw new UserError(
        "--storage is not measured on Citus: reset with --citus alone (its tables keep the schema's default).",
        2,
      );
    }
    const { resetDatabase } = await import("../../db/schema.js");
    const { resetDistributed } = await import("../../db/citus.js");
    let shards = 0;
    for (const kind of kinds) {
      try {
        const watch = resetLockWatch(kind, endAfterMs);
        if (argv.citus) {
          const layout = await resetDistributed(targets[kind], kind, argv.shards, watch);
          for (const line of layout.setup) progress(line);
          shards = layout.shards;
        } else await resetDatabase(targets[kind], kind, argv.storage, watch);
      } catch (error) {
        const reason = redactSecrets((error as Error).message, [targets[kind]]);
        throw new UserError(
          `cannot reset ${databaseName(kind)} at ${redactUrl(targets[kind])}: ${reason}`,
          1,
          { cause: error },
        );
      }
      const layout = argv.citus
        ? `, distributed over Citus in ${shards} shards per table`
        : await storageNote(targets[kind], kind);
      console.log(`reset ${databaseName(kind)} (${redactUrl(targets[kind])})${layout}`);
    }
  },
};

/** ", storage inline" after a reset of pg_denormalized: what the table holds now. */
async function storageNote(url: string, kind: string): Promise<string> {
  if (kind !== "denormalized") return "";
  const { withClient } = await import("../../db/client.js");
  const { detectStorage } = await import("../../db/storage.js");
  const storage = await withClient(url, detectStorage);
  return storage ? `, storage ${storage}` : "";
}

type RefreshArgs = HomeArgs & TargetArgs & { db: DbChoice | DbChoice[] };

/**
 * `db refresh`: the tag views' refresh after a load, with no time limit, for a load whose
 * refresh ran past --refresh-timeout (exit code 3) or could not reach the server.
 */
const refresh: CommandModule<object, RefreshArgs> = {
  command: "refresh",
  describe:
    "Refresh the tag views (materialized in pg_normalized and pg_normalized_batch) with no time limit",
  builder: (yargs) =>
    withTargetOptions(yargs).option("db", {
      choices: [...DB_KINDS, "all"],
      default: "all",
      describe: "Which database's views to refresh (repeat the flag for two)",
    }) as unknown as Argv<RefreshArgs>,
  handler: async (argv) => {
    const kinds = kindsOf(argv.db);
    const targets = await resolveTargetsOf(kinds, targetFlagsOf(argv), envWithHome(argv));
    const { withClient } = await import("../../db/client.js");
    const { refreshMaterializedViews } = await import("../../db/schema.js");
    for (const kind of kinds) {
      const started = performance.now();
      let views: string[];
      try {
        views = await withClient(targets[kind], (client) => refreshMaterializedViews(client));
      } catch (error) {
        const reason = redactSecrets((error as Error).message, [targets[kind]]);
        throw new UserError(
          `cannot refresh the views of ${databaseName(kind)} at ${redactUrl(targets[kind])}: ${reason}`,
          1,
          { cause: error },
        );
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(
        views.length === 0
          ? `${databaseName(kind)}: no materialized views (its tag views are computed when read)`
          : `${databaseName(kind)}: refreshed ${views.join(", ")} in ${seconds} s`,
      );
    }
  },
};

/** The subcommands of `db`, for pointers to their help. */
export const DB_SUBCOMMANDS = ["up", "status", "init", "reset", "refresh", "down", "env"] as const;

/** `tweetload db up|status|init|reset|refresh|down|env`: the embedded clusters and the schemas. */
export const dbCommand: CommandModule<object, object> = {
  command: "db <command>",
  describe: "Manage the databases: embedded clusters (up, down, env), status, init, reset, refresh",
  builder: (yargs) =>
    yargs
      .command(up)
      .command(status)
      .command(init)
      .command(reset)
      .command(refresh)
      .command(down)
      .command(env)
      .demandCommand(
        1,
        "Name a db command: up, status, init, reset, refresh, down or env.",
      ) as Argv,
  handler: () => {},
};
