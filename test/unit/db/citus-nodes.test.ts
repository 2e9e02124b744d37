import { describe, expect, it } from "vitest";
import { reach, urlOnNode } from "../../../src/db/citus-nodes.js";

const node = { host: "citus_worker1", port: 5432, groupId: 1, hasMetadata: true };

describe("reaching a Citus node from the client", () => {
  it("uses the node's own address unless TWEETLOAD_CITUS_NODES maps it", () => {
    expect(reach(node, {})).toEqual(node);
    const env = {
      TWEETLOAD_CITUS_NODES: "citus_worker2:5432=127.0.0.1:5442, citus_worker1:5432=127.0.0.1:5441",
    };
    expect(reach(node, env)).toEqual({ ...node, host: "127.0.0.1", port: 5441 });
    expect(reach({ ...node, port: 6000 }, env)).toEqual({ ...node, port: 6000 });
    expect(reach(node, { TWEETLOAD_CITUS_NODES: "citus_worker1:5432=[::1]:5441" })).toMatchObject({
      host: "::1",
      port: 5441,
    });
  });

  it("refuses a mapping that is not host:port, naming it", () => {
    expect(() => reach(node, { TWEETLOAD_CITUS_NODES: "citus_worker1:5432=localhost" })).toThrow(
      /maps citus_worker1:5432 to 'localhost', which is not host:port/,
    );
  });

  it("keeps the coordinator URL's user, password and settings on another node and database", () => {
    const url = "postgres://me:s3cret@coord.example:5440/pg_normalized?sslmode=require";
    expect(urlOnNode(url, { host: "10.0.0.7", port: 5432 }, "postgres")).toBe(
      "postgres://me:s3cret@10.0.0.7:5432/postgres?sslmode=require",
    );
    expect(urlOnNode(url, { host: "::1", port: 5441 })).toBe(
      "postgres://me:s3cret@[::1]:5441/pg_normalized?sslmode=require",
    );
    expect(urlOnNode(url, null, "pg_denormalized")).toBe(
      "postgres://me:s3cret@coord.example:5440/pg_denormalized?sslmode=require",
    );
  });
});
