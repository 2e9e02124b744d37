import { connect } from "node:net";
import { BroadcastChannel, isMainThread } from "node:worker_threads";
import type pg from "pg";

/** Where a backend runs and the key that lets a new connection cancel its query. */
interface Backend {
  pid: number;
  secret: number;
  host: string;
  port: number;
}

type Announcement = { open: Backend } | { end: number };

/** The group of the main thread's own connections. */
const MAIN = "main";

/**
 * Every backend this process has open, by group: the main thread's, and each worker
 * pool's (its workers announce theirs on the pool's channel). Kept on the main thread.
 */
const groups = new Map<string, Map<number, Backend>>();

function record(group: string, message: Announcement): void {
  const backends = groups.get(group) ?? new Map<number, Backend>();
  groups.set(group, backends);
  if ("open" in message) backends.set(message.open.pid, message.open);
  else backends.delete(message.end);
}

/** In a worker: the channel of its pool, on which it announces its connections. */
let announceOn: BroadcastChannel | undefined;

/** Called once in each worker of a pool, with the pool's channel name (see listenToPool). */
export function announceBackendsOn(channel: string): void {
  announceOn = new BroadcastChannel(channel);
  announceOn.unref();
}

/**
 * Records the backends a pool's workers announce on `channel`, so that the main thread can
 * cancel their queries itself, whatever a worker is doing (or after it was terminated).
 * Call before the workers connect: a message reaches only the channels that exist when it
 * is sent. Returns the function that stops listening.
 */
export function listenToPool(channel: string): () => void {
  const listener = new BroadcastChannel(channel);
  listener.unref();
  listener.onmessage = (event) => record(channel, (event as { data: Announcement }).data);
  return () => listener.close();
}

/** The key data pg keeps of a connection (BackendKeyData), or null before it has any. */
function backendOf(client: pg.Client): Backend | null {
  const { processID: pid, secretKey: secret } = client as unknown as {
    processID: number | null;
    secretKey: number | null;
  };
  if (pid === null || secret === null) return null;
  return { pid, secret, host: client.host, port: client.port };
}

/** Records `client`'s backend until the client ends. */
export function trackBackend(client: pg.Client): void {
  const backend = backendOf(client);
  if (!backend) return;
  const tell = (message: Announcement) => {
    if (!isMainThread) announceOn?.postMessage(message);
    else record(MAIN, message);
  };
  tell({ open: backend });
  client.once("end", () => tell({ end: backend.pid }));
}

/** The CancelRequest message of the protocol (length, code 80877102, pid, key). */
function cancelRequest({ pid, secret }: Backend): Buffer {
  const message = Buffer.alloc(16);
  message.writeInt32BE(16, 0);
  message.writeInt32BE(80877102, 4);
  message.writeInt32BE(pid, 8);
  message.writeInt32BE(secret, 12);
  return message;
}

/**
 * Sends one CancelRequest, as psql does on Ctrl-C, and waits (at most `ms`) until the server
 * has read it and closed the connection. The server checks the key, so a request for a
 * backend that ended (its pid perhaps another session's now) cancels nothing, and one for
 * an idle backend does nothing.
 */
function sendCancel(backend: Backend, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = backend.host.startsWith("/")
      ? connect(`${backend.host}/.s.PGSQL.${backend.port}`)
      : connect(backend.port, backend.host);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, ms);
    socket.once("connect", () => socket.end(cancelRequest(backend)));
    socket.once("close", done);
    socket.once("error", done);
    socket.resume();
  });
}

/** Cancels what `client` runs on the server, if anything (see sendCancel). */
export async function cancelQuery(client: pg.Client, ms = 2000): Promise<void> {
  const backend = backendOf(client);
  if (backend) await sendCancel(backend, ms);
}

/**
 * Cancels whatever the backends of one group (`listenToPool`'s channel), or of the whole
 * process, are running, so that a stopped command leaves no query on the server: a closed
 * socket alone is noticed by a backend only when it next reads or writes (or within
 * client_connection_check_interval, see session-guards.sql). Resolves once each request is
 * delivered, or after `ms`. Returns how many backends were asked.
 */
export async function cancelBackends(group?: string, ms = 2000): Promise<number> {
  const chosen = group === undefined ? [...groups.keys()] : [group];
  const all = chosen.flatMap((name) => [...(groups.get(name)?.values() ?? [])]);
  for (const name of chosen) groups.delete(name);
  await Promise.all(all.map((backend) => sendCancel(backend, ms)));
  return all.length;
}
