import { relative } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { defaultExpectedDir, defaultSqlDir } from "../../check/queries.js";
import { targetFlagsOf } from "../../db/targets.js";
import { environment } from "../../env.js";
import { projectPath } from "../../paths.js";
import { withInterrupts } from "../interrupts.js";
import { type TargetArgs, withTargetOptions } from "../target-options.js";

interface CheckArgs extends TargetArgs {
  expected?: boolean;
  expectedDir: string;
  sqlDir: string;
  deriveExpected: boolean;
  data: string[];
}

/** `tweetload check`: the checker queries on all three databases, compared; or the derivation of expected/. */
export const checkCommand: CommandModule<object, CheckArgs> = {
  command: "check",
  describe:
    "Run the checker queries (sql/) on all three databases and compare the answers with each other and with expected/",
  builder: (yargs: Argv) =>
    withTargetOptions(yargs)
      .option("expected", {
        type: "boolean",
        describe:
          "Also compare with the expected answers of the shipped sample (--no-expected: never). " +
          "Default: when at least one database answers the first two queries (tweets, top mentions) as the sample does",
      })
      .option("expected-dir", {
        type: "string",
        default: defaultExpectedDir(),
        defaultDescription: "expected/",
        describe: "Folder of the expected answers (NN_name.out)",
      })
      .option("sql-dir", {
        type: "string",
        default: defaultSqlDir(),
        defaultDescription: "sql/",
        describe: "Folder of the checker queries (NN_name.sql)",
      })
      .option("derive-expected", {
        type: "boolean",
        default: false,
        describe:
          "Touch no database: work out the expected answers from the archives of --data by an independent reading of the JSON, and write them to --expected-dir",
      })
      .option("data", {
        type: "string",
        array: true,
        default: [projectPath("data")],
        defaultDescription: "data/",
        describe: "Archives or folders of archives read by --derive-expected",
      }) as unknown as Argv<CheckArgs>,
  handler: async (argv) => {
    if (argv.deriveExpected) {
      const { deriveExpected, writeExpected } = await import("../../check/derive-expected.js");
      const answers = await deriveExpected(argv.data);
      const written = await writeExpected(argv.expectedDir, answers);
      for (const path of written) console.log(`wrote ${relative(process.cwd(), path) || path}`);
      return;
    }
    const [{ check }, { renderCheckTable }] = await Promise.all([
      import("../../api/check.js"),
      import("../../check/render-check-table.js"),
    ]);
    // Ctrl-C or SIGTERM cancels the queries on the server: killed, the checker left them
    // running for minutes, holding locks a `db reset` then waited for.
    const report = await withInterrupts("cancelling the checker's queries", (signal) =>
      check({
        targets: targetFlagsOf(argv),
        env: environment(argv.home),
        expectedDir: argv.expectedDir,
        sqlDir: argv.sqlDir,
        compare: argv.expected === undefined ? "auto" : argv.expected ? "expected" : "each-other",
        signal,
      }),
    );
    console.log(renderCheckTable(report));
    if (!report.ok) process.exitCode = 1;
  },
};
