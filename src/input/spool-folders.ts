import { readFileSync } from "node:fs";
import { lstat, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The folders standard input is copied into: `tweetload-stdin-<pid>-<start>-XXXXXX` in the
 * temporary directory, named for the process that made it (its pid, and on Linux its start
 * time, since a pid is reused). A process killed outright (SIGKILL, a power cut) cannot
 * remove its folder; the next load removes the folders of processes that are gone.
 */
const PREFIX = "tweetload-stdin-";
const NAMED = /^tweetload-stdin-(\d+)-(\d+)-/;

/** When process `pid` started, in clock ticks since boot (Linux); "0" where unknown. */
function startOf(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 22; the fields after the command name (in parentheses) start at field 3.
    return text.slice(text.lastIndexOf(")") + 2).split(" ")[19] ?? "0";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" && process.platform === "linux" ? null : "0";
  }
}

/** Whether the process that made a folder named for (pid, start) still runs. */
function alive(pid: number, start: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = startOf(pid);
  return now !== null && (now === start || now === "0" || start === "0");
}

/** A new spool folder for this process. */
export function makeSpoolFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-${startOf(process.pid) ?? "0"}-`));
}

/**
 * Removes the spool folders this user's killed loads left behind. Never fails a load: a
 * folder that cannot be read or removed is left.
 */
export async function removeStaleSpoolFolders(): Promise<void> {
  const dir = tmpdir();
  const names = await readdir(dir).catch(() => [] as string[]);
  const uid = process.getuid?.();
  for (const name of names) {
    const m = NAMED.exec(name);
    if (!m || alive(Number(m[1]), m[2] as string)) continue;
    const path = join(dir, name);
    const info = await lstat(path).catch(() => null);
    if (!info?.isDirectory() || (uid !== undefined && info.uid !== uid)) continue;
    await rm(path, { recursive: true, force: true }).catch(() => {});
  }
}
