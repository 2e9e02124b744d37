import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeName, readNodes, urlOnNode } from "../../src/db/citus-nodes.js";
import { withClient } from "../../src/db/client.js";
import { citusTargets, citusUrl } from "./citus-cluster.js";
import { count, tweetload } from "./citus-helpers.js";

describe.skipIf(!citusUrl)("setting a database up on a Citus cluster", () => {
  let cluster: Awaited<ReturnType<typeof citusTargets>>;
  const admin = citusUrl as string;
  const adminDb = () => new URL(admin).pathname.slice(1);
  const nameOf = (url: string) => new URL(url).pathname.slice(1);

  beforeAll(async () => {
    cluster = await citusTargets(admin);
  });
  afterAll(async () => {
    await cluster?.drop();
  });

  it("makes the database where it is missing when one worker has it already (no propagated CREATE DATABASE then), and registers the workers", async () => {
    const url = cluster.targets.normalized_batch;
    const [first, ...rest] = cluster.workers as [(typeof cluster.workers)[0]];
    await withClient(urlOnNode(admin, first, adminDb()), (c) =>
      c.query(`CREATE DATABASE "${nameOf(url)}"`),
    );
    const { stderr } = await tweetload(cluster.targets, [
      "db",
      "init",
      "--citus",
      "--db",
      "normalized_batch",
    ]);
    expect(stderr).toContain(
      `made ${nameOf(url)} on the coordinator${rest.map((w) => `, ${nodeName(w)}`).join("")}`,
    );
    expect(stderr).not.toMatch(/propagated/);
    const registered = await withClient(url, readNodes);
    expect(
      registered
        .filter((n) => n.groupId !== 0)
        .map(nodeName)
        .sort(),
    ).toEqual(cluster.workers.map(nodeName).sort());
    expect(await count(url, "SELECT count(*) AS n FROM pg_dist_partition")).toBeGreaterThan(5);
  });

  it("a registered worker this client cannot reach is one sentence naming it, and nothing is made", async () => {
    const url = cluster.targets.denormalized;
    await withClient(admin, (c) => c.query(`CREATE DATABASE "${nameOf(url)}"`));
    await withClient(url, async (c) => {
      await c.query("CREATE EXTENSION citus");
      // A node registered by hand that nothing answers at (a port no server listens on).
      await c.query(
        `INSERT INTO pg_dist_node (nodename, nodeport, groupid, noderole, isactive, hasmetadata,
                                   metadatasynced, shouldhaveshards)
         VALUES ('127.0.0.1', 1, 99, 'primary', true, false, false, true)`,
      );
    });
    const failed = await tweetload(cluster.targets, [
      "db",
      "reset",
      "--citus",
      "--yes",
      "--db",
      "denormalized",
    ]).catch((error: { code: number; stderr: string }) => error);
    expect("code" in failed && failed.code).toBe(1);
    const lines = (failed as { stderr: string }).stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^tweetload: cannot reset pg_denormalized at .*: cannot reach Citus worker 127\.0\.0\.1:1 \(database /,
    );
    // The reachable workers did not get the database either.
    for (const w of cluster.workers) {
      expect(
        await count(
          urlOnNode(admin, w, adminDb()),
          "SELECT count(*) AS n FROM pg_database WHERE datname = $1",
          [nameOf(url)],
        ),
      ).toBe(0);
    }
  });
});
