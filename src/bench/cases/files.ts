import { loaderTargets } from "../reports/loader-targets.js";
import type { CaseGroup } from "./case.js";
import { loadCases, loadKind } from "./load.js";

/** `--cases files`: every loader on each N-file set at every `--jobs` value (the timing table). */
export const filesCases: CaseGroup = {
  kinds: [loadKind],
  stage: "each-set",
  plan: (p, data) => loadCases(p.variants, p.jobs, data),
  targets: loaderTargets,
};
