import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildCli } from "../../../src/cli/main.js";

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
  ])("%j accepts --home and makes it TWEETLOAD_HOME for the whole process", async (args) => {
    delete process.env.TWEETLOAD_HOME;
    const argv = await parse([...args, "--home", "some/home"]);
    expect(argv.home).toBe("some/home");
    expect(process.env.TWEETLOAD_HOME).toBe(resolve("some/home"));
  });

  it("is not an option of generate, which touches no database", async () => {
    await expect(parse(["generate", "--home", "x"])).rejects.toThrow(/unknown argument: home/);
  });
});
