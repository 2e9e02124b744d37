import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { mergeSummaries, splitSummaries } from "./merge-summaries.js";
import { renderSummaryTable, summaryJson } from "./summary.js";

/**
 * `node dist/report/sum-summaries-main.js --since FILE --expect N [--json] SUMMARY...`:
 * the one summary of scripts/load_tweets_parallel.sh, from the `load --json` output of
 * its jobs. The run's time is from FILE's modification (touched as the run began) to now.
 * Exits 1 when a file failed or is partial, or when fewer than N file reports came back (a job that
 * stopped before loading prints no summary: its message is above, on stderr).
 */
async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      since: { type: "string" },
      expect: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (values.since === undefined || values.expect === undefined) {
    throw new Error("usage: sum-summaries-main.js --since FILE --expect N [--json] SUMMARY...");
  }
  const began = (await stat(values.since)).mtimeMs;
  const docs = [];
  for (const file of positionals) docs.push(...splitSummaries(await readFile(file, "utf8"), file));
  const { result, resources } = mergeSummaries(docs, (Date.now() - began) / 1000);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summaryJson(result, resources), null, 2)}\n`);
  } else {
    process.stdout.write(`${renderSummaryTable(result)}\n`);
  }
  const expected = Number(values.expect);
  const missing = expected - result.files.length;
  if (missing > 0) {
    process.stderr.write(
      `${missing} of ${expected} file loads have no report: a job stopped before loading them (its message is above); run the script again to load them\n`,
    );
  }
  return missing > 0 || result.totals.failed + result.totals.partial > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sum-summaries: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
