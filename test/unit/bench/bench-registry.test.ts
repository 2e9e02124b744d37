import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { GroupPlan } from "../../../src/bench/cases/case.js";
import {
  BENCH_CASES,
  CASE_GROUPS,
  caseKind,
  shapeNamed,
} from "../../../src/bench/cases/registry.js";
import { LOADER_VARIANTS } from "../../../src/bench/plan/variants.js";
import { projectPath } from "../../../src/paths.js";

const SRC = projectPath("src");

/**
 * What a module loads when it is imported: its static imports that are not type-only, as
 * src/-relative paths or package names (`await import(…)` loads later, when called).
 */
function staticImports(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  const specifiers = [...text.matchAll(/^(?:import|export) (?!type )[^;]*?from "([^"]+)";/gms)];
  return specifiers.map((m) => {
    const imported = m[1] as string;
    return imported.startsWith(".")
      ? relative(SRC, resolve(SRC, dirname(file), imported.replace(/\.js$/, ".ts")))
      : imported;
  });
}

function loadedBy(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const dep of staticImports(file)) {
    if (dep.endsWith(".ts")) loadedBy(dep, seen);
    else seen.add(dep);
  }
  return seen;
}

const plan: GroupPlan = {
  variants: LOADER_VARIANTS,
  jobs: [1, 2],
  oneFileJobs: [1, 2, 4],
  floorStreams: 2,
  parallelJobs: 2,
};

describe("the registry of bench cases", () => {
  it("loads no database client, archive reader or timing code: the command line imports it to list --cases", () => {
    const loaded = [...loadedBy("bench/cases/registry.ts")];
    expect(loaded).toContain("bench/cases/v2-pages.ts");
    expect(loaded.filter((m) => !m.endsWith(".ts"))).toEqual([]);
    expect(loaded.filter((m) => /^(db|input|load|run|bench\/(timing|data|run))\//.test(m))).toEqual(
      [],
    );
  });

  it("finds a kind for every case a group plans, and every group can plan", () => {
    for (const name of CASE_GROUPS) {
      const cases = BENCH_CASES[name].plan(plan, "d");
      expect(cases.length, name).toBeGreaterThan(0);
      for (const c of cases) {
        expect(c.data).toBe("d");
        expect(caseKind(c.type).type).toBe(c.type);
      }
    }
    expect(() => caseKind("no-such-kind")).toThrow(/another version of tweetload/);
  });

  it("gives each kind one type and each shape one group that makes its data", () => {
    const kinds = CASE_GROUPS.flatMap((n) => (BENCH_CASES[n].kinds ?? []).map((k) => k.type));
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const name of CASE_GROUPS) {
      const group = BENCH_CASES[name];
      if (group.stage !== "shape") continue;
      const shape = group.shape?.name as string;
      expect(shapeNamed(shape), name).toBe(group.shape);
      expect(typeof group.prepare, name).toBe("function");
    }
  });
});
