import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { projectPath } from "../../../src/paths.js";

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  entrypoint?: string[];
  healthcheck?: { test: string[] };
}

const compose = async () =>
  parse(await readFile(projectPath("docker-compose.yml"), "utf8"), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };

/** The host-side file of a bind mount `./path:/in/container[:ro]`. */
const mountedFile = (volume: string) => volume.split(":")[0] as string;

describe("docker-compose.yml, profile citus", () => {
  it("has a coordinator and two workers of the public citusdata/citus image, and tweetload's own image to set them up, only in the profile", async () => {
    const { services } = await compose();
    const nodes = Object.entries(services).filter(([, s]) => s.profiles?.includes("citus"));
    expect(nodes.map(([name]) => name).sort()).toEqual([
      "citus_coordinator",
      "citus_init",
      "citus_setup",
      "citus_worker1",
      "citus_worker2",
    ]);
    for (const [name, service] of nodes) {
      if (name === "citus_init") {
        expect(service.build).toBe(".");
        continue;
      }
      expect(service.image).toMatch(/^citusdata\/citus:13\.\d+/);
      expect(service.build).toBeUndefined();
    }
    // The plain databases stay outside the profile: `docker compose up` starts only them.
    for (const name of ["pg_denormalized", "pg_normalized", "pg_normalized_batch"]) {
      expect(services[name]?.profiles).toBeUndefined();
    }
  });

  it("publishes every node on this machine only (the loaders write to the workers), and keeps each node's data in a volume", async () => {
    const { services, volumes } = await compose();
    // As compose reads `${VAR:-default}` with the variables unset.
    const ports = (name: string) =>
      services[name]?.ports?.map((p) =>
        p.replace(/\$\{\w+:-([^}]*)\}/g, (_all, fallback: string) => fallback),
      );
    expect(ports("citus_coordinator")).toEqual(["127.0.0.1:5440:5432"]);
    expect(ports("citus_worker1")).toEqual(["127.0.0.1:5441:5432"]);
    expect(ports("citus_worker2")).toEqual(["127.0.0.1:5442:5432"]);
    for (const name of ["citus_coordinator", "citus_worker1", "citus_worker2"]) {
      expect(services[name]?.volumes).toEqual([`${name}:/var/lib/postgresql/data`]);
      expect(volumes).toHaveProperty(name);
      expect(services[name]?.healthcheck?.test.join(" ")).toMatch(/pg_isready .*-d postgres/);
    }
  });

  it("registers both workers in the coordinator's postgres database after every node is healthy", async () => {
    const { services } = await compose();
    const setup = services.citus_setup as Service;
    expect(Object.keys(setup.depends_on ?? {}).sort()).toEqual([
      "citus_coordinator",
      "citus_worker1",
      "citus_worker2",
    ]);
    for (const dep of Object.values(setup.depends_on ?? {})) {
      expect(dep.condition).toBe("service_healthy");
    }
    expect(setup.environment?.CITUS_WORKERS?.split(" ")).toEqual([
      "citus_worker1",
      "citus_worker2",
    ]);
    const script = setup.volumes?.find((v) => v.endsWith(":/register-workers.sh:ro"));
    expect(setup.entrypoint).toEqual(["sh", "/register-workers.sh"]);
    const text = await readFile(projectPath(mountedFile(script as string)), "utf8");
    expect(text).toMatch(/-d postgres \\\n\s+-c "SELECT citus_add_node\('\$worker', 5432\)"/);
    expect(text).not.toMatch(/pg_normalized/);
  });

  it("then runs tweetload db init --citus against the coordinator, which makes the three databases on every node", async () => {
    const { services } = await compose();
    const init = services.citus_init as Service & { command?: string[]; restart?: string };
    expect(init.command).toEqual(["db", "init", "--citus"]);
    expect(init.restart).toBe("no");
    expect(init.depends_on).toEqual({
      citus_setup: { condition: "service_completed_successfully" },
    });
    for (const [kind, db] of [
      ["DENORMALIZED", "pg_denormalized"],
      ["NORMALIZED", "pg_normalized"],
      ["NORMALIZED_BATCH", "pg_normalized_batch"],
    ] as const) {
      expect(init.environment?.[`TWEETLOAD_${kind}_URL`]).toMatch(
        new RegExp(`@citus_coordinator:5432/${db}$`),
      );
    }
  });
});
