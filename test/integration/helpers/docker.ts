import { existsSync } from "node:fs";
import { request } from "node:http";

/**
 * Whether a Docker engine answers `/_ping` within `timeoutMs`. Only the
 * endpoints testcontainers would use by default are tried: DOCKER_HOST
 * (unix:// or tcp://) or /var/run/docker.sock. Never waits longer than the timeout.
 */
export function dockerAnswers(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1500,
): Promise<boolean> {
  const host = env.DOCKER_HOST;
  let target: { socketPath: string } | { host: string; port: number };
  if (host?.startsWith("tcp://")) {
    const url = new URL(host.replace(/^tcp:/, "http:"));
    target = { host: url.hostname, port: Number(url.port || 2375) };
  } else {
    const socketPath = host?.startsWith("unix://")
      ? host.slice("unix://".length)
      : "/var/run/docker.sock";
    if (!existsSync(socketPath)) return Promise.resolve(false);
    target = { socketPath };
  }
  return new Promise((resolve) => {
    const req = request({ ...target, path: "/_ping", method: "GET", timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}
