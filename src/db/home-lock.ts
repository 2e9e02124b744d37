import { open, readFile, unlink } from "node:fs/promises";
import { join } from "node:path";
import { isAlive } from "./embedded-state.js";

/**
 * Runs `fn` while holding `<home>/lock`, so two `db up`/`db down` never work
 * on the same clusters at once. A lock left by a dead process is taken over.
 */
export async function withHomeLock<T>(
  home: string,
  fn: () => Promise<T>,
  waitMs = 120_000,
): Promise<T> {
  const path = join(home, "lock");
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      // NaN: the holder has created the file but not yet written its pid.
      if (Number.isInteger(holder) && !isAlive(holder)) {
        await unlink(path).catch(() => {});
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `another tweetload (pid ${holder || "?"}) holds ${path}; wait for it or remove the file.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => {});
  }
}
