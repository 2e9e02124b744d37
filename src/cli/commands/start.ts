import type { Argv, CommandModule } from "yargs";
import { environment } from "../../env.js";
import { UserError } from "../../errors.js";
import { requireWholeNumber } from "../../option-checks.js";
import { countOf } from "../../report/plural.js";
import { type TargetArgs, withTargetOptions } from "../target-options.js";

interface StartArgs extends TargetArgs {
  reset: boolean;
  jobs?: number;
}

/** `tweetload start` (`npm start`): databases up, the shipped sample loaded into all three, checked. */
export const startCommand: CommandModule<object, StartArgs> = {
  command: "start",
  describe:
    "Load the shipped sample (data/) into all three databases in parallel and check the answers; starts the embedded databases when none is named",
  builder: (yargs: Argv) =>
    withTargetOptions(yargs)
      .option("reset", {
        type: "boolean",
        default: false,
        describe:
          "Also drop and re-create the schemas of the servers you named (their data is lost); the embedded databases are always reset",
      })
      .option("jobs", {
        type: "number",
        describe: "Loader workers at once (default: the loader's)",
      })
      .check((argv) => {
        requireWholeNumber("--jobs", argv.jobs, 1);
        return true;
      }) as unknown as Argv<StartArgs>,
  handler: async (argv) => {
    const { runStart } = await import("../../start/run-start.js");
    const outcome = await runStart({
      flags: {
        denormalized: argv.denormalizedUrl,
        normalized: argv.normalizedUrl,
        normalized_batch: argv.normalizedBatchUrl,
      },
      env: environment(argv.home),
      resetNamed: argv.reset,
      jobs: argv.jobs,
    });
    if (!outcome.ok) {
      const parts = [
        outcome.failedLoads > 0 ? `${countOf(outcome.failedLoads, "file load")} failed` : "",
        outcome.failedChecks > 0
          ? `${countOf(outcome.failedChecks, "check")} did not match expected/`
          : "",
      ].filter(Boolean);
      throw new UserError(`${parts.join(" and ") || "start failed"}: see the tables above.`);
    }
  },
};
