import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../src/db/client.js";
import { generateArchives } from "../../src/generate/generate-archives.js";
import { projectPath } from "../../src/paths.js";
import { citusTargets, citusUrl } from "./citus-cluster.js";

const run = promisify(execFile);

describe.skipIf(!citusUrl)("the course scripts on Citus", () => {
  let cluster: Awaited<ReturnType<typeof citusTargets>>;
  let dir: string;
  beforeAll(async () => {
    cluster = await citusTargets(citusUrl as string);
    dir = await mkdtemp(join(tmpdir(), "tweetload-citus-scripts-"));
  });
  afterAll(async () => {
    await cluster?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("scripts/load_denormalized.sh fills the id_tweets distribution column of a distributed pg_denormalized", async () => {
    const env = {
      ...process.env,
      TWEETLOAD_DENORMALIZED_URL: cluster.targets.denormalized,
      TWEETLOAD_HOME: join(dir, "no-home"),
    };
    const files = await generateArchives({
      outDir: join(dir, "data"),
      files: 2,
      tweetsPerFile: 300,
      seed: 3,
    });
    await run(
      "node",
      [
        projectPath("bin", "tweetload.js"),
        "db",
        "reset",
        "--yes",
        "--db",
        "denormalized",
        "--citus",
      ],
      { env },
    );
    await run(projectPath("scripts", "load_denormalized.sh"), files, { env });
    const { rows } = await withClient(cluster.targets.denormalized, (c) =>
      c.query<{ n: number; matching: number }>(
        `SELECT count(*)::int AS n,
                count(*) FILTER (WHERE id_tweets = (data->>'id')::bigint)::int AS matching
           FROM tweets_jsonb`,
      ),
    );
    expect(rows[0]?.n).toBeGreaterThanOrEqual(600);
    expect(rows[0]?.matching).toBe(rows[0]?.n);
  });
});
