import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The layering rule (docs/internals.md, "Layout"), checked on every run: imports point
// down (nothing outside src/cli/ imports the CLI) and no module reaches itself again.
// Type-only imports count too: a cycle of types is still a tangle a reader has to undo.

const SRC = resolve(import.meta.dirname, "../../src");

/** Every .ts file under `dir`, as paths relative to src/. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

// `import … from "x"`, `export … from "x"`, `import "x"` and `import("x")`, over several lines.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g;

/** The src/-relative files a module imports, from the relative specifiers in its text. */
function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(RELATIVE_IMPORT)].map((match) =>
    relative(SRC, resolve(SRC, dirname(file), (match[1] ?? "").replace(/\.js$/, ".ts"))),
  );
}

/** One cycle of `graph` per strongly connected group, each as the path that closes it. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

const files = sourceFiles(SRC);
const graph = new Map(
  files.map((file) => [file, importsOf(file, readFileSync(join(SRC, file), "utf8"))]),
);

describe("the import graph of src/", () => {
  it("finds the imports it checks (a regex that matched nothing would pass every rule)", () => {
    expect(graph.get("cli/main.ts")?.length).toBeGreaterThan(3);
    expect(importsOf("run/a.ts", 'import type {\n  X,\n} from "../load/loader.js";')).toEqual([
      "load/loader.ts",
    ]);
    expect(importsOf("cli/commands/a.ts", 'await import("../../db/embedded.js")')).toEqual([
      "db/embedded.ts",
    ]);
  });

  it("finds a cycle when there is one", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
    ]);
    expect(findCycles(looped)).toEqual([["a.ts", "b.ts", "c.ts", "a.ts"]]);
  });

  it("every import names a file that exists", () => {
    const missing = [...graph].flatMap(([file, deps]) =>
      deps.filter((dep) => !graph.has(dep)).map((dep) => `${file} → ${dep}`),
    );
    expect(missing).toEqual([]);
  });

  it("no module outside src/cli/ imports from src/cli/", () => {
    const upward = [...graph].flatMap(([file, deps]) =>
      file.startsWith("cli/")
        ? []
        : deps.filter((dep) => dep.startsWith("cli/")).map((dep) => `${file} → ${dep}`),
    );
    expect(upward).toEqual([]);
  });

  it("has no import cycle", () => {
    expect(findCycles(graph).map((cycle) => cycle.join(" → "))).toEqual([]);
  });
});
