import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseHome } from "../../../src/db/home.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tweetload-home-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("chooseHome", () => {
  it("takes --home over TWEETLOAD_HOME, resolved against the working directory", () => {
    const env = { TWEETLOAD_HOME: "/srv/from-env" };
    expect(chooseHome(env, "rel/home").home).toBe(join(process.cwd(), "rel/home"));
    expect(chooseHome(env)).toEqual({ home: "/srv/from-env", source: "TWEETLOAD_HOME" });
  });

  it("keeps .tweetload/ inside a clone (a .git folder or worktree file beside package.json)", async () => {
    const clone = join(dir, "clone");
    await mkdir(join(clone, ".git"), { recursive: true });
    expect(chooseHome({}, undefined, clone)).toEqual({
      home: join(clone, ".tweetload"),
      source: "clone",
    });
    const worktree = join(dir, "worktree");
    await mkdir(worktree);
    await writeFile(join(worktree, ".git"), "gitdir: /elsewhere\n");
    expect(chooseHome({}, undefined, worktree).source).toBe("clone");
  });

  it("uses the user's data directory for an installed package (no .git)", async () => {
    const installed = join(dir, "node_modules", "tweetload");
    await mkdir(installed, { recursive: true });
    const chosen = chooseHome({}, undefined, installed);
    expect(chosen.source).toBe("user");
    const xdg = process.env.XDG_DATA_HOME || join(homedir(), ".local", "share");
    if (process.platform === "linux") expect(chosen.home).toBe(join(xdg, "tweetload"));
    expect(chosen.home.startsWith(installed)).toBe(false);
  });

  it("treats an empty TWEETLOAD_HOME as unset", async () => {
    const installed = join(dir, "empty-env");
    await mkdir(installed, { recursive: true });
    expect(chooseHome({ TWEETLOAD_HOME: "  " }, undefined, installed).source).toBe("user");
  });
});
