import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Answers, expectedAnswers } from "./expected-answers.js";
import { factsOfLine } from "./line-facts.js";
import { archiveLines, archivePaths } from "./read-lines.js";
import type { TweetFacts } from "./tweet-facts.js";

/**
 * Facts of every tweet of the archives (v1.1 lines, v2 pages and flattened v2 tweets);
 * lines that are not tweets are skipped, as loaders reject them.
 */
export async function* factsOfArchives(paths: readonly string[]): AsyncGenerator<TweetFacts> {
  for (const path of paths) {
    for await (const raw of archiveLines(path)) yield* factsOfLine(raw);
  }
}

/** The expected answers for archives (files or folders of them), without any database or loader. */
export async function deriveExpected(inputs: readonly string[]): Promise<Answers> {
  const paths: string[] = [];
  for (const input of inputs) paths.push(...(await archivePaths(input)));
  const facts: TweetFacts[] = [];
  for await (const f of factsOfArchives(paths)) facts.push(f);
  return expectedAnswers(facts);
}

/** The text of an .out file: each row then a newline, as `psql -X -A -t -F '|'` prints. */
export const renderRows = (rows: readonly string[]): string => rows.map((r) => `${r}\n`).join("");

export const parseRows = (text: string): string[] =>
  text === "" ? [] : text.replace(/\n$/, "").split("\n");

/** Writes `NN_name.out` for each answer, replacing the folder's old .out files. */
export async function writeExpected(dir: string, answers: Answers): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  for (const name of await readdir(dir)) if (name.endsWith(".out")) await rm(join(dir, name));
  const written: string[] = [];
  for (const [name, rows] of Object.entries(answers)) {
    const path = join(dir, `${name}.out`);
    await writeFile(path, renderRows(rows));
    written.push(path);
  }
  return written;
}

/** The expected rows of every `.out` file of `dir`, keyed by name without `.out`. */
export async function readExpected(dir: string): Promise<Answers> {
  const out: Answers = {};
  for (const name of (await readdir(dir)).sort()) {
    if (!name.endsWith(".out")) continue;
    out[name.slice(0, -4)] = parseRows(await readFile(join(dir, name), "utf8"));
  }
  return out;
}
