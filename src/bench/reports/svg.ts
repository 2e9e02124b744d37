import type { BenchReport } from "../types.js";
import { copyTool, formatSeconds } from "./format.js";
import { ReportIndex } from "./summary.js";

const W = 760;
const H = 420;
const M = { top: 60, right: 56, bottom: 64, left: 72 };
const COLORS = { sequential: "#4c78a8", parallel: "#f58518", floor1: "#b22222", floorN: "#2e7d32" };

const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const n = (x: number) => (Math.round(x * 10) / 10).toString();

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` ticks up to `max`. */
export function tickStep(max: number, count = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / pow;
  const mult = scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10;
  return mult * pow;
}

/**
 * Bar chart of the timing table as a standalone SVG document: per database a
 * sequential and a parallel bar (median wall seconds, value on top), the two
 * `psql \copy` floors as horizontal lines, labelled axes and a legend.
 */
export function renderChartSvg(report: BenchReport): string {
  const index = new ReportIndex(report);
  const pj = index.parallelJobs;
  const bars = report.variants.map((v) => ({
    label: v.label,
    id: v.id,
    seq: index.load(v.id, 1)?.wallSeconds,
    par: pj === undefined ? undefined : index.load(v.id, pj)?.wallSeconds,
  }));
  const floor1 = index.copy(1)?.wallSeconds;
  const floorN = index.copy(report.floorStreams)?.wallSeconds;
  const values = [...bars.flatMap((b) => [b.seq ?? 0, b.par ?? 0]), floor1 ?? 0, floorN ?? 0];
  const step = tickStep(Math.max(...values, 0.001));
  const yMax = Math.ceil(Math.max(...values, 0.001) / step) * step;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const y = (v: number) => M.top + plotH - (v / yMax) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<title>${esc(`tweetload bench: elapsed seconds per database, ${report.date.slice(0, 10)}`)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
  );
  for (let k = 0; k * step <= yMax + step / 2; k++) {
    const v = k * step;
    const yy = n(y(v));
    out.push(
      `<line x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}" stroke="#e0e0e0"/>`,
      `<text x="${M.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${esc(formatTick(v))}</text>`,
    );
  }
  out.push(
    `<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}" stroke="#333"/>`,
    `<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="#333"/>`,
    `<text x="18" y="${n(M.top + plotH / 2)}" text-anchor="middle" transform="rotate(-90 18 ${n(M.top + plotH / 2)})">elapsed time, seconds (median of ${report.runs})</text>`,
    `<text x="${n(M.left + plotW / 2)}" y="${H - 14}" text-anchor="middle">database</text>`,
  );
  const groupW = plotW / Math.max(bars.length, 1);
  const barW = Math.min(56, groupW * 0.32);
  // The floors go under the bars; their seconds sit in the right margin, pushed apart when close.
  const tool = copyTool(report);
  const floors = [
    { value: floor1, color: COLORS.floor1, dash: "6 4", label: `floor, ${tool}, 1 stream` },
    {
      value: floorN,
      color: COLORS.floorN,
      dash: "2 3",
      label: `floor, ${tool}, ${report.floorStreams} streams`,
    },
  ].flatMap((f) => (f.value === undefined ? [] : [{ ...f, value: f.value, y: y(f.value) }]));
  const [upper, lower] = [...floors].sort((a, b) => a.y - b.y);
  const labelY = new Map(floors.map((f) => [f, f.y]));
  if (upper && lower && lower.y - upper.y < 13) {
    const mid = (upper.y + lower.y) / 2;
    labelY.set(upper, mid - 6.5);
    labelY.set(lower, mid + 6.5);
  }
  for (const f of floors) {
    out.push(
      `<line class="floor" x1="${M.left}" x2="${W - M.right}" y1="${n(f.y)}" y2="${n(f.y)}" stroke="${f.color}" stroke-width="2" stroke-dasharray="${f.dash}"><title>${esc(`${f.label}: ${formatSeconds(f.value)}`)}</title></line>`,
      `<text x="${W - M.right + 4}" y="${n(labelY.get(f) as number)}" dominant-baseline="middle" font-size="11" fill="${f.color}">${esc(formatSeconds(f.value))}</text>`,
    );
  }
  bars.forEach((b, i) => {
    const cx = M.left + groupW * (i + 0.5);
    const drawBar = (value: number | undefined, x: number, kind: "sequential" | "parallel") => {
      if (value === undefined) return;
      const top = y(value);
      out.push(
        `<rect class="bar" data-db="${esc(b.id)}" data-run="${kind}" x="${n(x)}" y="${n(top)}" width="${n(barW)}" height="${n(M.top + plotH - top)}" fill="${COLORS[kind]}"><title>${esc(`${b.label}, ${kind}: ${formatSeconds(value)}`)}</title></rect>`,
        `<text x="${n(x + barW / 2)}" y="${n(top - 4)}" text-anchor="middle" font-size="11" stroke="#ffffff" stroke-width="3" paint-order="stroke">${esc(formatSeconds(value))}</text>`,
      );
    };
    drawBar(b.seq, cx - barW - 2, "sequential");
    drawBar(b.par, cx + 2, "parallel");
    out.push(
      `<text x="${n(cx)}" y="${M.top + plotH + 18}" text-anchor="middle">${esc(b.label)}</text>`,
    );
  });
  // Two legend rows: the bars, then the floor lines (each with its own dash).
  const legend: { color: string; label: string; dash?: string; row: number }[] = [
    { color: COLORS.sequential, label: "sequential (--jobs 1)", row: 0 },
    {
      color: COLORS.parallel,
      label: pj === undefined ? "parallel" : `parallel (--jobs ${pj})`,
      row: 0,
    },
    { color: COLORS.floor1, label: `floor: ${tool}, 1 stream`, dash: "6 4", row: 1 },
    {
      color: COLORS.floorN,
      label: `floor: ${tool}, ${report.floorStreams} streams`,
      dash: "2 3",
      row: 1,
    },
  ];
  const lx = [M.left, M.left];
  for (const item of legend) {
    const x = lx[item.row] as number;
    const ly = 16 + item.row * 20;
    out.push(
      item.dash
        ? `<line x1="${x}" x2="${x + 18}" y1="${ly}" y2="${ly}" stroke="${item.color}" stroke-width="2" stroke-dasharray="${item.dash}"/>`
        : `<rect x="${x + 3}" y="${ly - 6}" width="12" height="12" fill="${item.color}"/>`,
      `<text x="${x + 24}" y="${ly}" dominant-baseline="middle">${esc(item.label)}</text>`,
    );
    lx[item.row] = x + 40 + item.label.length * 7;
  }
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}

function formatTick(v: number): string {
  return Number.isInteger(v) ? `${v}` : v.toPrecision(3).replace(/\.?0+$/, "");
}
