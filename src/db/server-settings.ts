import { withClient } from "./client.js";

/** Server settings that decide how fast (and how safely) a load can go. */
export const KEY_SETTINGS = [
  "fsync",
  "synchronous_commit",
  "full_page_writes",
  "wal_level",
  "shared_buffers",
  "max_wal_size",
  "checkpoint_timeout",
  "work_mem",
  "maintenance_work_mem",
] as const;

/** Version and key settings of the server behind `url`. */
export async function serverSettings(
  url: string,
): Promise<{ version: string; settings: Record<string, string> }> {
  return withClient(url, async (client) => {
    const version =
      (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]
        ?.v ?? "?";
    const rows = (
      await client.query<{ name: string; value: string }>(
        "SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY($1) ORDER BY name",
        [KEY_SETTINGS],
      )
    ).rows;
    return { version, settings: Object.fromEntries(rows.map((r) => [r.name, r.value])) };
  });
}

/**
 * Writes dirty pages out, so that what one run left behind is not paid for by the next
 * run's timing. Needs superuser (or pg_checkpoint); without it this does nothing.
 */
export async function checkpoint(url: string): Promise<void> {
  try {
    await withClient(url, (client) => client.query("CHECKPOINT"));
  } catch {
    // not permitted on this server: carry on without
  }
}
