import type pg from "pg";
import { connectClient } from "../db/connection-config.js";
import type { DbKind } from "../db/kinds.js";
import type { LoaderSession } from "../load/loader.js";
import { loaderFor } from "../load/registry.js";

/** A thread's connection to one database and the loader session on it. */
export interface Open {
  client: pg.Client;
  session: LoaderSession;
}

/**
 * The connections of one thread: one per database, opened on first use and reused for
 * every later file of that database, closed by `closeAll`.
 */
export class SessionCache {
  private readonly open = new Map<string, Promise<Open>>();

  session(db: DbKind, url: string, batchSize: number, batched = false): Promise<LoaderSession> {
    return this.connection(db, url, batchSize, batched).then((e) => e.session);
  }

  /** The session and its client (the runner reads and writes the journal on it). */
  connection(db: DbKind, url: string, batchSize: number, batched = false): Promise<Open> {
    const key = `${db}\n${url}\n${batchSize}\n${batched}`;
    let entry = this.open.get(key);
    if (!entry) {
      entry = (async () => {
        // A dropped connection surfaces in the pending query (connectClient swallows the
        // idle client's 'error' events), which keeps the thread alive.
        const client = await connectClient(url, { application_name: `tweetload ${db}` });
        try {
          return { client, session: await loaderFor(db, batched).open(client, { batchSize }) };
        } catch (error) {
          await client.end().catch(() => {});
          throw error;
        }
      })();
      entry.catch(() => this.open.delete(key));
      this.open.set(key, entry);
    }
    return entry;
  }

  /** Forgets (and closes) a connection after a failure, so the next file reconnects. */
  async discard(db: DbKind, url: string, batchSize: number, batched = false): Promise<void> {
    const key = `${db}\n${url}\n${batchSize}\n${batched}`;
    const entry = this.open.get(key);
    this.open.delete(key);
    await entry?.then((e) => e.client.end()).catch(() => {});
  }

  async closeAll(): Promise<void> {
    const entries = [...this.open.values()];
    this.open.clear();
    await Promise.all(entries.map((e) => e.then((o) => o.client.end()).catch(() => {})));
  }
}
