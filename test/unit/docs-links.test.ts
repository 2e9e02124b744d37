import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { projectPath } from "../../src/paths.js";

// Every relative link of the README and the pages under docs/ (and the other READMEs of
// the repository) must reach a file or folder that exists, and a `#anchor` a heading of
// that page: the README sends readers to docs/, and a moved section must not leave a
// link that leads nowhere.

const ROOT = projectPath();

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}

const PAGES = [
  projectPath("README.md"),
  projectPath("services", "README.md"),
  projectPath("data", "README.md"),
  ...markdownFiles(projectPath("docs")),
];

/** The text of a page without fenced code blocks and inline code, where no link is meant. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
}

/** The targets of `[text](target)` and `![alt](target)` links that are not web addresses. */
function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] as string)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors a page's headings give, a repeated heading numbered as GitHub numbers it. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const m of text.replace(/^```[\s\S]*?^```/gm, "").matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(m[1] as string);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Why `target`, linked from `page`, leads nowhere, or undefined when it resolves. */
function brokenLink(page: string, target: string): string | undefined {
  const [path = "", anchor] = target.split("#");
  const file = path === "" ? page : resolve(dirname(page), decodeURI(path));
  const inRepo = relative(ROOT, file);
  // `../../actions/…` (the badges) are routes of the GitHub site, not files of the repository.
  if (inRepo.startsWith(`..${sep}`)) return undefined;
  if (!existsSync(file)) return `${inRepo} does not exist`;
  if (anchor === undefined || statSync(file).isDirectory() || !file.endsWith(".md")) {
    return undefined;
  }
  return anchorsOf(readFileSync(file, "utf8")).has(anchor)
    ? undefined
    : `${inRepo} has no heading for #${anchor}`;
}

describe("links between the README and the docs", () => {
  it("finds the links it checks (a pattern that matched nothing would pass)", () => {
    expect(
      relativeLinks("see [a](docs/a.md#x), ![c](b.svg), [w](https://x.org), `[n](no)`"),
    ).toEqual(["docs/a.md#x", "b.svg"]);
    expect(slug("pg_normalized, batched (`load --batch`)")).toBe(
      "pg_normalized-batched-load---batch",
    );
    expect(slug("Users: which snapshot")).toBe("users-which-snapshot");
    const readme = readFileSync(projectPath("README.md"), "utf8");
    expect(relativeLinks(readme).length).toBeGreaterThan(10);
  });

  it("reports a link to a missing page and to a missing heading", () => {
    const readme = projectPath("README.md");
    expect(brokenLink(readme, "docs/no-such-page.md")).toMatch(/does not exist/);
    expect(brokenLink(readme, "docs/timing.md#no-such-heading")).toMatch(/no heading/);
    expect(brokenLink(readme, "docs/timing.md#how-the-benchmark-works")).toBeUndefined();
  });

  it.each(PAGES.map((p) => [relative(ROOT, p), p]))(
    "every relative link of %s resolves",
    (_, page) => {
      const text = readFileSync(page, "utf8");
      const broken = relativeLinks(text).flatMap((target) => {
        const why = brokenLink(page, target);
        return why === undefined ? [] : [`${target}: ${why}`];
      });
      expect(broken).toEqual([]);
    },
  );
});
