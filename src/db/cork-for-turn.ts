import type pg from "pg";

/**
 * The one place tweetload reaches inside node-postgres: its socket, `client.connection.stream`
 * (not part of pg's documented API, pinned by test/integration/cork-for-turn.test.ts).
 * pg writes each message of an extended-protocol query (bind, execute, sync) to the socket
 * at once; its `pipeline` option sends a query without waiting for the answers before it,
 * but still one socket write per query, and pg has no public way to batch the writes of
 * several queries. Those system calls cost more client CPU than the queries' encoding
 * (measured: writev 0.64 s of 2.5 s for 4,000 tweets of the per-tweet loader on Citus).
 */
type Corkable = NodeJS.WritableStream & { cork?(): void; uncork?(): void };

/** Connections whose socket is corked until the event loop turns. */
const corked = new WeakSet<pg.ClientBase>();

/**
 * Holds the client's outgoing messages until this turn of the event loop ends, so that the
 * queries sent meanwhile leave in one write. Returns false, and does nothing, when the
 * client has no socket to cork (not connected, or a node-postgres that moved it).
 */
export function corkForTurn(client: pg.ClientBase): boolean {
  const stream = (client as { connection?: { stream?: Corkable } }).connection?.stream;
  if (!stream?.cork || !stream.uncork) return false;
  if (corked.has(client)) return true;
  corked.add(client);
  stream.cork();
  setImmediate(() => {
    corked.delete(client);
    stream.uncork?.();
  });
  return true;
}
