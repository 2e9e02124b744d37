import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { dockerAnswers } from "../../integration/helpers/docker.js";

describe("dockerAnswers (how the test setup decides to try testcontainers)", () => {
  it("is false at once when the socket does not exist", async () => {
    expect(await dockerAnswers({ DOCKER_HOST: "unix:///nonexistent/docker.sock" })).toBe(false);
  });

  it("is false when nothing listens on DOCKER_HOST", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    expect(await dockerAnswers({ DOCKER_HOST: `tcp://127.0.0.1:${port}` })).toBe(false);
  });

  it("is true when an engine answers /_ping, and false when the answer is an error", async () => {
    let status = 200;
    const server = createServer((req, res) => {
      res.statusCode = req.url === "/_ping" ? status : 404;
      res.end("OK");
    }).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await dockerAnswers({ DOCKER_HOST: `tcp://127.0.0.1:${port}` })).toBe(true);
      status = 500;
      expect(await dockerAnswers({ DOCKER_HOST: `tcp://127.0.0.1:${port}` })).toBe(false);
    } finally {
      server.close();
    }
  });
});
