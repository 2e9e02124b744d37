#!/usr/bin/env node
// CPU seconds each PostgreSQL server (a Citus coordinator and its workers, or a plain
// server) and the client spend on one command, read from the processes themselves:
//
//   node tools/node-cpu.mjs --server postgres://postgres@127.0.0.1:26700/postgres \
//     [--workers-of-it] [--label NAME] -- node bin/tweetload.js load ...
//
// A server's CPU is its postmaster's own time plus what its children used: /proc/<pid>/stat
// of every live child (utime, stime and what their own children used) and the postmaster's
// cutime/cstime, where the kernel adds a backend's time when the postmaster reaps it. The
// difference of two such sums brackets the command, backends that came and went included.
// The client's is this process's cutime/cstime after the command is reaped. The servers
// must run on this machine (the same /proc); network namespaces share it. Prints one JSON
// line: wall seconds, client CPU seconds, and CPU seconds per server (host:port).
//
// --idle then watches the servers for as long again with no command: `idle` per server is
// what they spend on their own (Citus's maintenance daemons poll the workers in each
// database, checkpoints, autovacuum), to subtract from `cpu` for what the command cost.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import pg from "pg";

const TICKS = 100; // getconf CLK_TCK on Linux

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      ppid: Number(f[1]),
      own: Number(f[11]) + Number(f[12]),
      kids: Number(f[13]) + Number(f[14]),
    };
  } catch {
    return null;
  }
}

/** CPU ticks of a postmaster and everything under it, live or reaped. */
function treeTicks(pm) {
  const root = stat(pm);
  if (!root) throw new Error(`postmaster ${pm} is gone`);
  let ticks = root.own + root.kids;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(name);
    if (s && s.ppid === pm) ticks += s.own + s.kids;
  }
  return ticks;
}

async function postmasterOf(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT pg_backend_pid() AS pid");
    return stat(rows[0].pid).ppid;
  } finally {
    await client.end();
  }
}

async function nodesOf(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT nodename AS host, nodeport AS port FROM pg_dist_node WHERE isactive ORDER BY groupid, nodeid",
    );
    return rows;
  } finally {
    await client.end();
  }
}

const args = process.argv.slice(2);
const dash = args.indexOf("--");
if (dash < 0)
  throw new Error(
    "usage: node-cpu.mjs --server URL [--workers-of-it] [--idle] [--label L] -- command ...",
  );
const opts = args.slice(0, dash);
const command = args.slice(dash + 1);
const servers = [];
let label = "";
let withWorkers = false;
let idle = false;
for (let i = 0; i < opts.length; i++) {
  if (opts[i] === "--server") servers.push(opts[++i]);
  else if (opts[i] === "--label") label = opts[++i];
  else if (opts[i] === "--workers-of-it") withWorkers = true;
  else if (opts[i] === "--idle") idle = true;
}
const urls = [];
for (const server of servers) {
  urls.push(server);
  if (!withWorkers) continue;
  for (const n of await nodesOf(server)) {
    const u = new URL(server);
    if (u.hostname === n.host && u.port === String(n.port)) continue;
    u.hostname = n.host;
    u.port = String(n.port);
    urls.push(u.toString());
  }
}
const pms = await Promise.all(urls.map(postmasterOf));
const names = urls.map((u) => `${new URL(u).hostname}:${new URL(u).port}`);
const self = () => stat(process.pid).kids;
const before = pms.map(treeTicks);
const clientBefore = self();
const started = performance.now();
const code = await new Promise((resolve) => {
  const child = spawn(command[0], command.slice(1), { stdio: ["ignore", "ignore", "inherit"] });
  child.on("exit", (c) => resolve(c));
});
const wall = (performance.now() - started) / 1000;
const client = (self() - clientBefore) / TICKS;
// The command's backends exit when it closes its connections, and reach the postmaster's
// cutime only once reaped: give them a moment.
await new Promise((resolve) => setTimeout(resolve, 1000));
const after = pms.map(treeTicks);
const cpu = Object.fromEntries(names.map((n, i) => [n, (after[i] - before[i]) / TICKS]));
const result = { label, exit: code, wall: Number(wall.toFixed(2)), client, cpu };
if (idle) {
  await new Promise((resolve) => setTimeout(resolve, wall * 1000));
  const rest = pms.map(treeTicks);
  result.idle = Object.fromEntries(names.map((n, i) => [n, (rest[i] - after[i]) / TICKS]));
}
console.log(JSON.stringify(result));
