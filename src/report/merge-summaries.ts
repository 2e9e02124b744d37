import { type LoadRunResult, totalsOf } from "../run/run-load.js";
import type { FileReport } from "../run/types.js";
import type { Resources } from "./summary.js";

/** One `load --json` document, as summaryJson writes it. */
interface SummaryDocument {
  files: FileReport[];
  resources?: Resources;
}

/**
 * The `load --json` documents in `text`, one after another as GNU parallel prints its
 * jobs' output (each job's whole output in one piece). summaryJson indents by two
 * spaces and JSON escapes line breaks inside strings, so a document ends at a line
 * that is `}` alone.
 */
export function splitSummaries(text: string, source: string): SummaryDocument[] {
  const docs: SummaryDocument[] = [];
  let start = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "}") continue;
    const doc = lines.slice(start, i + 1).join("\n");
    try {
      docs.push(JSON.parse(doc) as SummaryDocument);
    } catch (error) {
      throw new Error(
        `${source}:${start + 1}: not a \`tweetload load --json\` summary (${(error as Error).message}): was it written by another version?`,
      );
    }
    start = i + 1;
  }
  if (lines.slice(start).join("").trim() !== "") {
    throw new Error(`${source}:${start + 1}: output after the last summary is not JSON`);
  }
  return docs;
}

/**
 * One run's result from the summaries of its parts (the jobs of the parallel script):
 * every file report as its job gave it, totals summed from them over `seconds`, the
 * wall-clock time of the whole run; CPU summed, memory the largest of any job.
 */
export function mergeSummaries(docs: readonly SummaryDocument[], seconds: number) {
  const files = docs.flatMap((d) => d.files);
  const result: LoadRunResult = { files, totals: totalsOf(files, seconds) };
  const all = docs.flatMap((d) => (d.resources ? [d.resources] : []));
  const resources: Resources = {
    userCpuSeconds: all.reduce((n, r) => n + r.userCpuSeconds, 0),
    systemCpuSeconds: all.reduce((n, r) => n + r.systemCpuSeconds, 0),
    maxRssMB: all.reduce((n, r) => Math.max(n, r.maxRssMB), 0),
  };
  return { result, resources };
}
