import { arch, cpus, platform, release, totalmem } from "node:os";
import type { MachineInfo } from "../types.js";

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? "unknown CPU",
    cores: list.length,
    memoryGB: totalmem() / 1024 ** 3,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}
