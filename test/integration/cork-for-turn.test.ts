import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { connectClient } from "../../src/db/connection-config.js";
import { corkForTurn } from "../../src/db/cork-for-turn.js";
import { adminUrl } from "./helpers/database.js";

/** Counts the writes that reach the socket's system calls (one each, corked or not). */
function countWrites(socket: Socket): { count: number } {
  const seen = { count: 0 };
  const s = socket as Socket & {
    _write(...a: unknown[]): void;
    _writev(...a: unknown[]): void;
  };
  const write = s._write.bind(s);
  const writev = s._writev.bind(s);
  s._write = (...a) => {
    seen.count++;
    write(...a);
  };
  s._writev = (...a) => {
    seen.count++;
    writev(...a);
  };
  return seen;
}

// corkForTurn reads node-postgres' undocumented `client.connection.stream`: these fail when
// a node-postgres release moves it or writes past the cork, before a load gets slower.
describe("corkForTurn: node-postgres' socket, corked for one turn", () => {
  it("finds the socket of a pipelined client, and the queries of one turn leave in one write", async () => {
    const client = await connectClient(adminUrl(), { pipeline: true });
    try {
      const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
      const writes = countWrites(socket);
      expect(corkForTurn(client)).toBe(true);
      const answers = [1, 2, 3, 4].map((i) =>
        client.query({ name: "cork_probe", text: "SELECT $1::int AS i", values: [i] }),
      );
      expect(socket.writableCorked).toBeGreaterThan(0);
      const rows = await Promise.all(answers);
      expect(rows.map((r) => r.rows[0]?.i)).toEqual([1, 2, 3, 4]);
      expect(socket.writableCorked).toBe(0);
      expect(writes.count).toBe(1);
    } finally {
      await client.end();
    }
  });

  it("without it, the same queries take a write each", async () => {
    const client = await connectClient(adminUrl(), { pipeline: true });
    try {
      const socket = (client as unknown as { connection: { stream: Socket } }).connection.stream;
      const writes = countWrites(socket);
      await Promise.all(
        [1, 2, 3, 4].map((i) =>
          client.query({ name: "cork_probe", text: "SELECT $1::int AS i", values: [i] }),
        ),
      );
      expect(writes.count).toBeGreaterThan(1);
    } finally {
      await client.end();
    }
  });

  it("says so, and does nothing, for a client with no socket", () => {
    expect(corkForTurn({} as never)).toBe(false);
  });
});
