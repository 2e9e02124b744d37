import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DB_KINDS, databaseName, targetEnvName } from "../../src/db/targets.js";
import { projectPath } from "../../src/paths.js";

/** One Dockerfile instruction: continuation lines joined, comments dropped. */
interface Instruction {
  op: string;
  args: string;
}

function parseDockerfile(text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, " ");
  return joined
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [op = "", ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(" ") };
    });
}

/** The instructions of each stage, split at FROM. */
function stagesOf(instructions: Instruction[]): Instruction[][] {
  const stages: Instruction[][] = [];
  for (const instruction of instructions) {
    if (instruction.op === "FROM") stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

const dockerfile = async () => parseDockerfile(await readFile(projectPath("Dockerfile"), "utf8"));

describe("Dockerfile of tweetload (hadolint-like checks)", () => {
  it("is multi-stage, every base pinned to a version (never latest)", async () => {
    const froms = (await dockerfile()).filter((i) => i.op === "FROM");
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      const image = from.args.split(/\s+/)[0] ?? "";
      const pinned = /@sha256:[0-9a-f]{64}$/.test(image) || /:\d+(\.\d+)+[\w.-]*$/.test(image);
      expect(pinned, `FROM ${image} is not pinned to a version`).toBe(true);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it("copies only from stages defined before, and runs as a user who is not root", async () => {
    const stages = stagesOf(await dockerfile());
    const names: string[] = [];
    for (const stage of stages) {
      for (const copy of stage.filter((i) => i.op === "COPY")) {
        const from = /--from=(\S+)/.exec(copy.args)?.[1];
        if (from) expect(names, `COPY --from=${from} names no earlier stage`).toContain(from);
      }
      const name = /\sAS\s+(\S+)/i.exec(stage[0]?.args ?? "")?.[1];
      if (name) names.push(name);
    }
    const final = stages.at(-1) ?? [];
    const user = final.filter((i) => i.op === "USER").at(-1)?.args;
    expect(user, "the final stage sets no USER").toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it("uses exec-form ENTRYPOINT/CMD, absolute WORKDIRs, COPY not ADD, no sudo, no latest npm", async () => {
    const all = await dockerfile();
    for (const i of all.filter((x) => x.op === "ENTRYPOINT" || x.op === "CMD")) {
      expect(() => JSON.parse(i.args), `${i.op} ${i.args} is not exec form`).not.toThrow();
    }
    for (const i of all.filter((x) => x.op === "WORKDIR")) expect(i.args).toMatch(/^\//);
    expect(all.filter((x) => x.op === "ADD")).toEqual([]);
    for (const i of all.filter((x) => x.op === "RUN")) {
      expect(i.args).not.toMatch(/\bsudo\b|npm (i|install) -g npm/);
      if (/\bnpm (install|i)\b/.test(i.args)) expect(i.args).toMatch(/npm ci/);
    }
  });

  it("copies every local source that exists, is not ignored, and is what the runtime reads", async () => {
    const all = await dockerfile();
    const ignored = (await readFile(projectPath(".dockerignore"), "utf8"))
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#"));
    const copied: string[] = [];
    for (const copy of all.filter((i) => i.op === "COPY" && !i.args.includes("--from="))) {
      const words = copy.args.split(/\s+/).filter((w) => !w.startsWith("--"));
      for (const source of words.slice(0, -1)) {
        expect(existsSync(projectPath(source)), `COPY ${source}: no such file`).toBe(true);
        expect(ignored, `COPY ${source} is excluded by .dockerignore`).not.toContain(source);
        copied.push(source);
      }
    }
    // What the installed CLI reads at run time (package.json "files"), minus the shell
    // scripts, which need psql and are not the image's job.
    for (const needed of ["bin", "services", "sql", "expected", "data", "package.json"]) {
      expect(copied).toContain(needed);
    }
  });
});

interface Compose {
  name?: string;
  version?: string;
  services: Record<
    string,
    {
      build?: string;
      command?: string[];
      profiles?: string[];
      environment?: Record<string, string>;
      depends_on?: Record<string, { condition: string }>;
    }
  >;
}

describe("docker-compose.yml", () => {
  const compose = async () =>
    parse(await readFile(projectPath("docker-compose.yml"), "utf8"), { merge: true }) as Compose;

  it("has no top-level name: or version:, so Compose v1 and v2 both read it", async () => {
    const file = await compose();
    expect(file.name).toBeUndefined();
    expect(file.version).toBeUndefined();
  });

  it("runs `tweetload start` from the Dockerfile against the three healthy PostGIS services", async () => {
    const { services } = await compose();
    const tool = services.tweetload;
    expect(tool?.build).toBe(".");
    expect(tool?.command).toEqual(["start"]);
    // On request only: `docker compose up --wait` (CI) starts just the databases.
    expect(tool?.profiles?.length).toBeGreaterThan(0);
    for (const kind of DB_KINDS) {
      const service = databaseName(kind);
      expect(services[service], `no service ${service}`).toBeDefined();
      const url = new URL(
        (tool?.environment?.[targetEnvName(kind)] ?? "").replace(/\$\{[^}]*:-([^}]*)\}/g, "$1"),
      );
      expect(url.hostname).toBe(service);
      expect(url.port).toBe("5432");
      expect(url.pathname).toBe(`/${service}`);
      expect(tool?.depends_on?.[service]?.condition).toBe("service_healthy");
    }
  });

  // The real clients, where installed (`apt-get install docker-compose` gives v1).
  for (const [label, command, args] of [
    ["v1 (docker-compose)", "docker-compose", ["-f", "docker-compose.yml", "config", "-q"]],
    ["v2 (docker compose)", "docker", ["compose", "-f", "docker-compose.yml", "config", "-q"]],
  ] as const) {
    const probe = spawnSync(command, command === "docker" ? ["compose", "version"] : ["version"], {
      encoding: "utf8",
    });
    const present = probe.status === 0;
    if (!present)
      console.warn(`container.test.ts: Compose ${label} not installed; its check is skipped`);
    it.skipIf(!present)(`Compose ${label} accepts the file`, () => {
      const run = spawnSync(command, [...args], { cwd: projectPath(), encoding: "utf8" });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    });
  }
});
