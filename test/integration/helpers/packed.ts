import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { projectPath } from "../../../src/paths.js";

const run = promisify(execFile);

/**
 * Packs the project as `npm publish` would (dist/ is built by `npm test`'s pretest, so
 * scripts are skipped here) and returns the tarball's path in `dir`.
 */
export async function packProject(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const { stdout } = await run(
    "npm",
    ["pack", "--ignore-scripts", "--json", "--pack-destination", dir],
    { cwd: projectPath(), maxBuffer: 64 * 1024 * 1024 },
  );
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (!packed) throw new Error(`npm pack printed no file: ${stdout}`);
  return join(dir, packed.filename);
}

/** An empty ESM project in `dir` with the tarball installed, as a user's pipeline would. */
export async function installInProject(dir: string, tarball: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "uses-tweetload", private: true, type: "module" }),
  );
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  });
}
