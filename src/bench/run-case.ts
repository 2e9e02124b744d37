import { setTimeout as sleep } from "node:timers/promises";
import { withClient } from "../db/client.js";
import { countRows } from "../db/row-counts.js";
import { checkpoint } from "../db/server-settings.js";
import type { DbKind } from "../db/targets.js";
import type { BenchEnvironment, BenchPlan } from "./bench-plan.js";
import { timeCommitFloor } from "./commit-floor.js";
import type { DataSource } from "./data-sets.js";
import type { Extraction } from "./extract.js";
import { balancedGroups, timeNodeCopy, timePsqlCopy } from "./floor-copy.js";
import { loadArgs, runLoadChild } from "./load-case.js";
import { timePipeline } from "./pipeline-case.js";
import { readOnly } from "./read-only.js";
import { counterDelta, readServerCounters } from "./server-counters.js";
import type { BenchCase, LoaderVariant, Sample } from "./types.js";

/** Rows per table (views left out) of the database at `url`. */
const tableRows = (url: string) => withClient(url, (client) => countRows(client, { views: false }));

/** Counters of the server at `url` after the clients of a case have gone. */
async function countersAfter(url: string) {
  // Backends add their commits to the statistics as they exit, just after the client.
  await sleep(200);
  return readServerCounters(url);
}

/** One repetition of one case, from freshly reset databases where it loads. */
export async function runCase(
  c: BenchCase,
  source: DataSource,
  ex: Extraction | undefined,
  plan: BenchPlan,
  env: BenchEnvironment,
): Promise<Sample> {
  const expected = ex?.tweets ?? 0;
  switch (c.type) {
    case "read": {
      const started = process.hrtime.bigint();
      await readOnly(source.archives);
      return { wallSeconds: Number(process.hrtime.bigint() - started) / 1e9, tweets: expected };
    }
    case "copy": {
      const url = env.targets.denormalized;
      await env.resetDatabase(url, "denormalized");
      await checkpoint(url);
      const groups = balancedGroups(ex?.files ?? [], c.streams, (f) => f.bytes).map((g) =>
        g.map((f) => f.path),
      );
      const wallSeconds =
        plan.floorTool === "psql"
          ? await timePsqlCopy(url, groups)
          : await timeNodeCopy(url, groups);
      const rows = await tableRows(url);
      if (rows.tweets_jsonb !== expected) {
        throw new Error(`the floor copy loaded ${rows.tweets_jsonb} rows instead of ${expected}`);
      }
      return { wallSeconds, tweets: expected, rows };
    }
    case "pipeline": {
      const url = env.targets.denormalized;
      await env.resetDatabase(url, "denormalized");
      await checkpoint(url);
      const wallSeconds = await timePipeline(url, c.jobs, source.archives);
      const rows = await tableRows(url);
      if (rows.tweets_jsonb !== expected) {
        throw new Error(
          `the shell pipeline (unzip | sed | psql through GNU parallel) loaded ${rows.tweets_jsonb} rows instead of ${expected}: its sed does not handle every line of ${source.dir}; leave pipeline out of --cases for this data.`,
        );
      }
      return { wallSeconds, tweets: expected, rows };
    }
    case "commit-floor": {
      const url = env.targets.normalized;
      await env.resetDatabase(url, "normalized");
      await checkpoint(url);
      const r = await timeCommitFloor(url, c.connections, plan.commitFloorSeconds);
      return {
        wallSeconds: r.wallSeconds,
        tweets: 0,
        commits: r.commits,
        rows: { tweetload_commit_floor: r.rows },
      };
    }
    case "load": {
      const variant = plan.variants.find((v) => v.id === c.variant) as LoaderVariant;
      const kind = c.db as DbKind;
      const url = env.targets[kind];
      await env.resetDatabase(url, kind);
      await checkpoint(url);
      const before = await readServerCounters(url);
      const { wallSeconds, summary } = await runLoadChild(
        plan.cliPath,
        loadArgs(variant, c.jobs, env.targets, source.archives),
      );
      const server = counterDelta(before, await countersAfter(url));
      const rows = await tableRows(url);
      const sample: Sample = {
        wallSeconds,
        tweets: summary.totals.tweets,
        loaderSeconds: summary.totals.seconds,
        rows,
      };
      if (server) sample.server = server;
      if (summary.resources) {
        sample.userCpuSeconds = summary.resources.userCpuSeconds;
        sample.systemCpuSeconds = summary.resources.systemCpuSeconds;
        sample.maxRssMB = summary.resources.maxRssMB;
      }
      return sample;
    }
  }
}

/** The case in words, for the progress lines. */
export function describeCase(c: BenchCase, variants: readonly LoaderVariant[]): string {
  switch (c.type) {
    case "load":
      return `${variants.find((v) => v.id === c.variant)?.label ?? c.variant} --jobs ${c.jobs} (${c.data})`;
    case "copy":
      return `floor copy, ${c.streams} stream${c.streams === 1 ? "" : "s"} (${c.data})`;
    case "read":
      return `floor read + decompress (${c.data})`;
    case "pipeline":
      return `shell pipeline, GNU parallel -j ${c.jobs} (${c.data})`;
    case "commit-floor":
      return `commit floor, ${c.connections} connection${c.connections === 1 ? "" : "s"}`;
  }
}
