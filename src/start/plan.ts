import { DB_KINDS, type DbKind, redactUrl, type Targets } from "../db/targets.js";

/** Where one database of `tweetload start` lives and whether start wipes it first. */
export interface StartTarget {
  kind: DbKind;
  url: string;
  /** `embedded`: a cluster tweetload runs itself; `named`: a server the user pointed at. */
  origin: "embedded" | "named";
  /** Drop and re-create the schema before loading (all data in that database is lost). */
  reset: boolean;
}

/**
 * Decides, per database, whether start may wipe it. The embedded clusters are tweetload's
 * own scratch space, so they always start from a fresh schema and a second `npm start`
 * gives the same answers; a server the user named is only wiped when they asked for it.
 */
export function planStart(
  targets: Targets,
  embedded: Targets | undefined,
  resetNamed: boolean,
): StartTarget[] {
  return DB_KINDS.map((kind) => {
    const url = targets[kind];
    const origin = embedded?.[kind] === url ? "embedded" : "named";
    return { kind, url, origin, reset: origin === "embedded" || resetNamed };
  });
}

/** The lines start prints before loading, so nobody is surprised by what it wipes. */
export function describePlan(plan: readonly StartTarget[]): string {
  const width = Math.max(...plan.map((target) => target.kind.length));
  const lines = plan.map((target) => {
    const what =
      target.origin === "embedded"
        ? "embedded cluster, reset to a fresh schema"
        : target.reset
          ? "your server, RESET to a fresh schema (--reset): its data is dropped"
          : "your server, loaded on top of what it holds; --reset would start from a fresh schema";
    return `  ${target.kind.padEnd(width)}  ${redactUrl(target.url)}  (${what})`;
  });
  return ["Databases:", ...lines].join("\n");
}
