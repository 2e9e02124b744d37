import { existsSync } from "node:fs";
import { resolve } from "node:path";
import envPaths from "env-paths";
import { type Env, environment } from "../env.js";
import { PROJECT_ROOT } from "../paths.js";

/** Why the embedded clusters live where they do (shown by `--help` and `db status`). */
export type HomeSource = "TWEETLOAD_HOME" | "clone" | "user";

/**
 * The folder of the embedded clusters and why it was chosen:
 * 1. `override` (`--home`) or `TWEETLOAD_HOME`;
 * 2. `.tweetload/` inside the project when it is a clone (a `.git` beside package.json):
 *    a developer's clusters stay with the checkout, as they always have;
 * 3. otherwise the user's data directory (XDG on Linux: `~/.local/share/tweetload`),
 *    because an installed package's folder is root-owned (`npm install -g`) or a cache
 *    that is wiped (`npx`).
 */
export function chooseHome(
  env: Env = environment(),
  override?: string,
  root: string = PROJECT_ROOT,
): { home: string; source: HomeSource } {
  const chosen = override ?? env.TWEETLOAD_HOME;
  if (chosen && chosen.trim() !== "") return { home: resolve(chosen), source: "TWEETLOAD_HOME" };
  if (existsSync(resolve(root, ".git"))) {
    return { home: resolve(root, ".tweetload"), source: "clone" };
  }
  return { home: userDataHome(), source: "user" };
}

/**
 * The platform's data directory for tweetload. env-paths reads HOME (once, when first
 * imported) and XDG_DATA_HOME from this process's environment, not from `env`.
 */
const userDataHome = (): string => envPaths("tweetload", { suffix: "" }).data;
