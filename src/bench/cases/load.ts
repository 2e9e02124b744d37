import type { DbKind } from "../../db/kinds.js";
import type { BenchCase, LoaderVariant, Sample } from "../types.js";
import { type CaseKind, perTweetSeconds } from "./case.js";

/** One loader row (`variant`) loading one data set through `tweetload load --jobs N`. */
export type LoadCase = {
  type: "load";
  variant: string;
  label: string;
  db: DbKind;
  jobs: number;
  data: string;
};

export const isLoadCase = (c: BenchCase): c is LoadCase => c.type === "load";

/** Every loader row at every `--jobs` value on the set `data`, rows first. */
export function loadCases(
  variants: readonly LoaderVariant[],
  jobs: readonly number[],
  data: string,
): LoadCase[] {
  return variants.flatMap((v) =>
    jobs.map((j) => ({
      type: "load" as const,
      variant: v.id,
      label: v.label,
      db: v.db,
      jobs: j,
      data,
    })),
  );
}

/**
 * Wall µs per tweet of each loader on the 2-core machine of the README's run (100,027
 * tweets, embedded PostgreSQL 17, 2026-11-21): only to tell the user before a long run
 * roughly how long it will take, never reported as a result.
 */
const LOAD_US: Record<string, { sequential: number; parallel: number }> = {
  normalized: { sequential: 440, parallel: 375 },
  normalized_batch: { sequential: 75, parallel: 60 },
  denormalized: { sequential: 121, parallel: 80 },
  normalized_batched: { sequential: 97, parallel: 80 },
};
const UNKNOWN_LOADER_US = { sequential: 200, parallel: 150 };

const labelOf = (c: LoadCase, variants: readonly LoaderVariant[]) =>
  variants.find((v) => v.id === c.variant)?.label ?? c.variant;

/**
 * A load as a user runs it: the built CLI as a child process, its wall time from spawn to
 * exit, its own summary (tweets, time, CPU, memory), the server's WAL and commits, and the
 * rows it left.
 */
export const loadKind: CaseKind<LoadCase> = {
  type: "load",
  describe: (c, variants) => `${labelOf(c, variants)} --jobs ${c.jobs} (${c.data})`,
  detailsCells: (c, report) => [labelOf(c, report.variants), `${c.jobs}`],
  estimateSeconds(c, cost) {
    const us = LOAD_US[c.variant] ?? UNKNOWN_LOADER_US;
    // Until a file is split among the workers, one archive loads on one core.
    const parallel = c.jobs > 1 && !cost.oneCore;
    return perTweetSeconds((parallel ? us.parallel : us.sequential) * cost.factor, cost);
  },
  async run(c, ctx) {
    const { loadArgs, runLoadChild } = await import("../timing/load-child.js");
    const variant = ctx.plan.variants.find((v) => v.id === c.variant) as LoaderVariant;
    const url = await ctx.freshDatabase(c.db);
    const { result, server } = await ctx.serverWork(url, () =>
      runLoadChild(ctx.plan.cliPath, loadArgs(variant, c.jobs, ctx.targets, ctx.source.archives)),
    );
    const { wallSeconds, summary } = result;
    const sample: Sample = {
      wallSeconds,
      tweets: summary.totals.tweets,
      loaderSeconds: summary.totals.seconds,
      rows: await ctx.tableRows(url),
    };
    if (server) sample.server = server;
    if (summary.resources) {
      sample.userCpuSeconds = summary.resources.userCpuSeconds;
      sample.systemCpuSeconds = summary.resources.systemCpuSeconds;
      sample.maxRssMB = summary.resources.maxRssMB;
    }
    return sample;
  },
};
