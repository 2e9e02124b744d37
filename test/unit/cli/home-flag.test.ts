import { execFile } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { buildCli } from "../../../src/cli/main.js";
import { environment } from "../../../src/env.js";

const run = promisify(execFile);
const STOP = "parsed; handler not run";
const saved = process.env.TWEETLOAD_HOME;
afterEach(() => {
  if (saved === undefined) delete process.env.TWEETLOAD_HOME;
  else process.env.TWEETLOAD_HOME = saved;
});

/** Parses a command line through the real CLI and stops before the handler runs. */
async function parse(args: string[]): Promise<Record<string, unknown>> {
  let argv: Record<string, unknown> = {};
  try {
    // yargs throws from a middleware synchronously, hence try rather than .catch.
    await buildCli(args)
      .middleware((parsed) => {
        argv = parsed;
        throw new Error(STOP);
      })
      .parseAsync();
  } catch (error) {
    if ((error as Error).message !== STOP) throw error;
  }
  return argv;
}

describe("--home on every command that reaches the embedded clusters", () => {
  it.each([
    [["load", "--db", "all", "data"]],
    [["check"]],
    [["start"]],
    [["bench"]],
    [["db", "up"]],
    [["db", "status"]],
    [["db", "reset"]],
    [["db", "down"]],
    [["db", "env"]],
  ])(
    "%j accepts --home, which the command passes on, leaving process.env as it was",
    async (args) => {
      delete process.env.TWEETLOAD_HOME;
      const argv = await parse([...args, "--home", "some/home"]);
      expect(argv.home).toBe("some/home");
      expect(process.env.TWEETLOAD_HOME).toBeUndefined();
      expect(environment(argv.home as string).TWEETLOAD_HOME).toBe(resolve("some/home"));
    },
  );

  it("gives the environment as it is when --home is not given", () => {
    expect(environment()).toBe(process.env);
    expect(environment(" ")).toBe(process.env);
  });

  it.each([[["check"]], [["load", "--db", "denormalized", "data/geoTwitter21-01-01.zip"]]])(
    "%j looks for the clusters in --home, over TWEETLOAD_HOME",
    async (args) => {
      const bin = fileURLToPath(new URL("../../../bin/tweetload.js", import.meta.url));
      const { PGHOST, PGPORT, PGUSER, PGPASSWORD, ...env } = process.env;
      const home = resolve("no-such-home-of-the-flag");
      const result = await run(process.execPath, [bin, ...args, "--home", home], {
        env: { ...env, TWEETLOAD_HOME: resolve("no-such-home-of-the-variable") },
        cwd: fileURLToPath(new URL("../../..", import.meta.url)),
      }).catch((error: { stderr: string }) => error);
      expect(result.stderr).toContain(`no embedded clusters are running in ${home}`);
    },
  );

  it("is not an option of generate, which touches no database", async () => {
    await expect(parse(["generate", "--home", "x"])).rejects.toThrow(/unknown argument: home/);
  });
});
