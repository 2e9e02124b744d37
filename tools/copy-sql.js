// Build step after tsc: copies every src/**/*.sql beside its compiled module in dist/,
// so an installed package (which ships dist/, not src/) finds the loaders' SQL.
import { cp, readdir } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const src = join(root, "src");
const dist = join(root, "dist");

const entries = await readdir(src, { recursive: true, withFileTypes: true });
const sqlFiles = entries.filter((e) => e.isFile() && e.name.endsWith(".sql"));
for (const entry of sqlFiles) {
  const from = join(entry.parentPath, entry.name);
  await cp(from, join(dist, relative(src, from)));
}
console.log(`copied ${sqlFiles.length} SQL files from src/ to dist/`);
