import type pg from "pg";
import { connectClient } from "../db/connection-config.js";
import { applySettings } from "../db/session-settings.js";
import type { Loader } from "./loader.js";

/**
 * A connection opened the way `loader` asks (its `connection`: pipelined or not, its
 * session settings), ready for `loader.open`. A dropped connection surfaces in the pending
 * query (connectClient swallows the idle client's 'error' events).
 */
export async function connectLoader(url: string, loader: Loader): Promise<pg.Client> {
  const { settings, ...config } = loader.connection ?? {};
  const client = await connectClient(url, {
    application_name: `tweetload ${loader.kind}`,
    ...config,
  });
  try {
    await applySettings(client, settings);
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
}
