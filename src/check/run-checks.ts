import { DB_KINDS, type DbKind, redactSecrets, redactUrl, type Targets } from "../db/targets.js";
import { diffRows, type RowDiff, sameRows } from "./compare-rows.js";
import { readExpected } from "./derive-expected.js";
import { type CheckQuery, loadQueries } from "./queries.js";
import { queryRows, withCheckClient } from "./run-query.js";

/** One query's outcome on one database. */
export interface CheckCell {
  status: "pass" | "fail" | "error";
  /** The rows the database answered (absent on error). */
  rows?: string[];
  error?: string;
  /** How the rows differ from the reference; set when status is "fail". */
  diff?: RowDiff;
}

export interface QueryCheck {
  name: string;
  cells: Record<DbKind, CheckCell>;
  /** What the cells were compared with. */
  reference: "expected" | "majority" | "none";
  /** The rows of expected/ when they were the reference. */
  expected?: string[];
}

export interface CheckReport {
  ok: boolean;
  /** Whether the answers were compared with expected/ or only with each other. */
  comparedWith: "expected" | "each-other";
  /** Why, in a sentence (e.g. how "auto" decided). */
  reason: string;
  queries: QueryCheck[];
  /** Redacted URL of each database. */
  targets: Record<DbKind, string>;
}

export interface CheckOptions {
  /** Folder of the expected answers (`NN_name.out`). */
  expectedDir?: string;
  /**
   * "expected": compare every database with expectedDir (the default when it is given).
   * "each-other": only compare the databases with each other.
   * "auto": compare with expectedDir when the shipped sample seems loaded, i.e. when
   * at least one database answers the first two queries (the number of tweets and the
   * most mentioned users) exactly as expected: other tweets of the same number are not
   * taken for the sample.
   */
  compare?: "expected" | "each-other" | "auto";
  /** Folder of the queries; default the project's sql/. */
  sqlDir?: string;
  /**
   * Aborting it stops the check: the queries running are cancelled on the server, and
   * runChecks rejects with the signal's reason.
   */
  signal?: AbortSignal;
}

type Answer = { rows: string[] } | { error: string };

async function answersOf(
  url: string,
  queries: readonly CheckQuery[],
  signal?: AbortSignal,
): Promise<Answer[]> {
  try {
    return await withCheckClient(
      url,
      async (client) => {
        const out: Answer[] = [];
        for (const q of queries) {
          signal?.throwIfAborted();
          try {
            out.push({ rows: await queryRows(client, q.sql) });
          } catch (error) {
            out.push({ error: (error as Error).message });
          }
        }
        return out;
      },
      signal,
    );
  } catch (error) {
    const message = `cannot connect to ${redactUrl(url)}: ${redactSecrets((error as Error).message, [url])}`;
    return queries.map(() => ({ error: message }));
  }
}

/**
 * Runs every checker query on the three databases and compares the answers,
 * with expected/ or with each other (then the answer two databases share is
 * taken as right). `ok` only when every cell passes.
 */
export async function runChecks(targets: Targets, opts: CheckOptions = {}): Promise<CheckReport> {
  const queries = await loadQueries(opts.sqlDir);
  if (queries.length === 0)
    throw new Error(`no checker queries (NN_name.sql) found in ${opts.sqlDir ?? "sql/"}`);
  const mode = opts.compare ?? (opts.expectedDir ? "expected" : "each-other");
  const expected =
    mode !== "each-other" && opts.expectedDir ? await readExpected(opts.expectedDir) : undefined;
  if (mode === "expected" && !expected)
    throw new Error("comparing with expected answers needs expectedDir");

  const perDb = await Promise.all(
    DB_KINDS.map((kind) => answersOf(targets[kind], queries, opts.signal)),
  );
  opts.signal?.throwIfAborted();
  const answers = Object.fromEntries(
    DB_KINDS.map((kind, i) => [kind, perDb[i] as Answer[]]),
  ) as Record<DbKind, Answer[]>;

  let useExpected = mode === "expected";
  let reason = useExpected
    ? `compared with ${opts.expectedDir}`
    : "compared with each other (no expected answers asked for)";
  if (mode === "auto") {
    const fingerprint = queries.slice(0, 2);
    const names = fingerprint.map((q) => q.name).join(" and ");
    const matches = DB_KINDS.filter((kind) =>
      fingerprint.every((q, i) => {
        const a = answers[kind][i] as Answer;
        const want = expected?.[q.name];
        return want !== undefined && "rows" in a && sameRows(a.rows, want);
      }),
    );
    useExpected = matches.length > 0;
    reason = useExpected
      ? `compared with ${opts.expectedDir}: ${matches.join(", ")} answer ${names} as the shipped sample does`
      : `compared with each other: no database answers ${names} as the shipped sample does, so it is not loaded`;
  }

  const checks = queries.map((q, i) =>
    checkQuery(
      q.name,
      DB_KINDS.map((k) => answers[k][i] as Answer),
      useExpected ? expected?.[q.name] : undefined,
      useExpected,
    ),
  );
  return {
    ok: checks.every((c) => DB_KINDS.every((k) => c.cells[k].status === "pass")),
    comparedWith: useExpected ? "expected" : "each-other",
    reason,
    queries: checks,
    targets: Object.fromEntries(DB_KINDS.map((k) => [k, redactUrl(targets[k])])) as Record<
      DbKind,
      string
    >,
  };
}

/** Judges one query's answers (in DB_KINDS order) against expected rows or the majority. */
export function checkQuery(
  name: string,
  answers: readonly Answer[],
  expected: string[] | undefined,
  useExpected: boolean,
): QueryCheck {
  const cells = {} as Record<DbKind, CheckCell>;
  if (useExpected && !expected) {
    DB_KINDS.forEach((kind, i) => {
      const a = answers[i] as Answer;
      cells[kind] =
        "rows" in a
          ? { status: "error", rows: a.rows, error: `no expected answer (${name}.out)` }
          : { status: "error", error: a.error };
    });
    return { name, cells, reference: "none" };
  }
  let reference: string[] | undefined = useExpected ? expected : undefined;
  if (!useExpected) {
    // The answer shared by at least two databases is taken as right.
    const ok = answers.filter((a): a is { rows: string[] } => "rows" in a);
    reference = ok.find((a) => ok.filter((b) => sameRows(a.rows, b.rows)).length >= 2)?.rows;
  }
  DB_KINDS.forEach((kind, i) => {
    const a = answers[i] as Answer;
    if (!("rows" in a)) cells[kind] = { status: "error", error: a.error };
    else if (reference && sameRows(a.rows, reference))
      cells[kind] = { status: "pass", rows: a.rows };
    else {
      // With no majority, show each answer against the first database that answered.
      const other = reference ?? answers.find((b, j) => j !== i && "rows" in b);
      const base = Array.isArray(other) ? other : other && "rows" in other ? other.rows : [];
      cells[kind] = { status: "fail", rows: a.rows, diff: diffRows(a.rows, base) };
    }
  });
  return {
    name,
    cells,
    reference: useExpected ? "expected" : reference ? "majority" : "none",
    expected: useExpected ? expected : undefined,
  };
}
