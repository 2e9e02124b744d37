import { generateArchives } from "../generate/generate-archives.js";
import type { CaseGroup } from "./case-groups.js";
import type { DataSource } from "./data-sets.js";
import { oneFileDataSet, v2PagesDataSet } from "./derived-sets.js";
import type { BenchSettings } from "./options.js";
import { missingPipelineTools } from "./pipeline-case.js";

const PIPELINE = "the shell pipeline reference (unzip | sed | psql through GNU parallel)";

/**
 * Makes what the chosen groups need beside the N-file sets (the one big file,
 * the v2 pages) and drops the groups that cannot run here, each with a note
 * the report keeps: the pipeline without its tools or on archives unzip cannot
 * read, v2 on data the generator did not make.
 */
export async function prepareShapes(opts: {
  settings: BenchSettings;
  main: DataSource;
  root: string;
  log: (line: string) => void;
}): Promise<{ groups: CaseGroup[]; notes: string[]; derived: DataSource[] }> {
  const { settings, main, root, log } = opts;
  const groups = [...settings.groups];
  const notes: string[] = [];
  const derived: DataSource[] = [];
  const drop = (group: CaseGroup, note: string) => {
    groups.splice(groups.indexOf(group), 1);
    notes.push(note);
    log(`note: ${note}`);
  };
  if (groups.includes("pipeline")) {
    const notZip = main.archives.filter((f) => !f.toLowerCase().endsWith(".zip"));
    const missing = await missingPipelineTools();
    if (notZip.length > 0) {
      drop(
        "pipeline",
        `${PIPELINE} was not run: it reads zip archives, and ${notZip[0]} is not one.`,
      );
    } else if (missing.length > 0) {
      drop("pipeline", `${PIPELINE} was not run: ${missing.join(", ")} not installed.`);
    }
  }
  if (groups.includes("one-file")) {
    log(`writing the tweets of ${main.dir} into one archive (once, not timed) …`);
    derived.push(await oneFileDataSet(main, root));
  }
  if (groups.includes("v2")) {
    const data = settings.data;
    if ("dir" in data || main.tweetsPerFile === undefined) {
      drop(
        "v2",
        "the v2 rows were not run: they need the generated set (the same tweets as v2 pages), not --data.",
      );
    } else {
      const source = { ...main, tweetsPerFile: main.tweetsPerFile };
      derived.push(await v2PagesDataSet(source, data.seed, root, (o) => generateArchives(o), log));
    }
  }
  return { groups, notes, derived };
}
