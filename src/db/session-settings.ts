import type { SqlClient } from "./client.js";

/** Server settings of a session, by name (e.g. `{ synchronous_commit: "off" }`). */
export type SessionSettings = Readonly<Record<string, string>>;

/** Sets each of `settings` for the rest of the connected session. */
export async function applySettings(client: SqlClient, settings: SessionSettings = {}) {
  for (const [name, value] of Object.entries(settings)) {
    await client.query("SELECT set_config($1, $2, false)", [name, value]);
  }
}
