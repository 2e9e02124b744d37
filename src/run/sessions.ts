import type pg from "pg";
import { cancelQuery } from "../db/backends.js";
import { connectLoader } from "../load/connect-loader.js";
import type { LoaderSession } from "../load/loader.js";
import { type LoaderId, loaderById } from "../load/registry.js";

/** A thread's connection to one database and the loader session on it. */
export interface Open {
  client: pg.Client;
  session: LoaderSession;
}

/** What a session is opened for; a LoadTask is one. */
export interface SessionOptions {
  loader: LoaderId;
  url: string;
  batchSize: number;
}

const keyOf = (o: SessionOptions): string => `${o.loader}\n${o.url}\n${o.batchSize}`;

/**
 * The connections of one thread: one per database, opened on first use and reused for
 * every later file of that database, closed by `closeAll`.
 */
export class SessionCache {
  private readonly open = new Map<string, Promise<Open>>();

  session(options: SessionOptions): Promise<LoaderSession> {
    return this.connection(options).then((e) => e.session);
  }

  /** The session and its client (the runner reads and writes the journal on it). */
  connection(options: SessionOptions): Promise<Open> {
    const key = keyOf(options);
    let entry = this.open.get(key);
    if (!entry) {
      const loader = loaderById(options.loader);
      entry = (async () => {
        // A dropped connection surfaces in the pending query, which keeps the thread alive.
        const client = await connectLoader(options.url, loader);
        try {
          const session = await loader.open(client, {
            batchSize: options.batchSize,
            url: options.url,
          });
          return { client, session };
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
  async discard(options: SessionOptions): Promise<void> {
    const key = keyOf(options);
    const entry = this.open.get(key);
    this.open.delete(key);
    await entry?.then(closeOpen).catch(() => {});
  }

  /**
   * Closes every connection; `cancel` (a stopped load) also cancels on the server the
   * statement each may be running, which a closed socket alone does not stop.
   */
  async closeAll(cancel = false): Promise<void> {
    const entries = [...this.open.values()];
    this.open.clear();
    const close = async (entry: Promise<Open>) => {
      const open = await entry;
      await open.session.close?.().catch(() => {});
      await Promise.all([cancel ? cancelQuery(open.client) : undefined, open.client.end()]);
    };
    await Promise.all(entries.map((e) => close(e).catch(() => {})));
  }
}

async function closeOpen(open: Open): Promise<void> {
  await open.session.close?.().catch(() => {});
  await open.client.end();
}
