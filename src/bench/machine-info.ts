import { arch, cpus, platform, release, totalmem } from "node:os";
import pg from "pg";
import { clientConfig } from "../db/connection-config.js";
import type { MachineInfo } from "./types.js";

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

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? "unknown CPU",
    cores: list.length,
    memoryGB: totalmem() / 1024 ** 3,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}

/** Runs `fn` with a connected client and always closes it. */
export async function withClient<T>(
  url: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(clientConfig(url));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

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

/** `count(*)` of every ordinary table in the public schema (PostGIS's own table left out). */
export async function countRows(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const tables = (
      await client.query<{ name: string }>(
        "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
          "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> 'spatial_ref_sys' ORDER BY 1",
      )
    ).rows;
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const ident = `"${name.replace(/"/g, '""')}"`;
      const r = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${ident}`);
      counts[name] = Number(r.rows[0]?.n ?? 0);
    }
    return counts;
  });
}

/**
 * Writes dirty pages out after a reset so that one run's leftovers are not
 * paid for by the next run's timing. Needs superuser (or pg_checkpoint);
 * without it the benchmark goes on.
 */
export async function checkpoint(url: string): Promise<void> {
  try {
    await withClient(url, (client) => client.query("CHECKPOINT"));
  } catch {
    // not permitted on this server: carry on without
  }
}

/** `postgis` when `tweets.geo` is a geometry column, else `text` (WKT). */
export async function geoModeOf(url: string): Promise<string | undefined> {
  return withClient(url, async (client) => {
    const r = await client.query<{ t: string }>(
      "SELECT format_type(a.atttypid, a.atttypmod) AS t FROM pg_attribute a " +
        "WHERE a.attrelid = to_regclass('public.tweets') AND a.attname = 'geo' AND NOT a.attisdropped",
    );
    const type = r.rows[0]?.t;
    return type === undefined ? undefined : type.startsWith("geometry") ? "postgis" : "text";
  });
}
