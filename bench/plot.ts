/**
 * `kiln bench --plot FILE.svg`: a grouped bar chart of time ratios to the baseline, one
 * group per benchmark plus the geometric means, one bar per engine. The y axis is
 * logarithmic and bars grow from the 1x line (up: slower than native, down: faster), so an
 * interpreter at 100x and a compiler at 0.9x are both readable. Hand-written SVG 1.1.
 */
import { ENGINES, type BenchResults, type EngineId } from './runner.js';

const COLOURS: Record<EngineId, string> = {
  native: '#444444',
  'kiln-O2': '#d95f02',
  'kiln-O0': '#fdae6b',
  v8: '#1b9e77',
  turbofan: '#66a61e',
  liftoff: '#80cdc1',
  interp: '#7570b3',
  'native-aarch64': '#444444',
  'kiln-O2-aarch64': '#d95f02',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderSvg(r: BenchResults): string {
  const engines = r.engines.map((e) => e.id).filter((e) => e !== r.baseline);
  const groups: { name: string; ratios: (number | null | 'fail')[] }[] = r.benchmarks.map((b) => ({
    name: b.name,
    ratios: engines.map((e) => {
      const x = b.engines.find((y) => y.engine === e);
      if (!x) return null;
      return x.ok && x.ratio !== null ? x.ratio : 'fail';
    }),
  }));
  groups.push({ name: 'geomean', ratios: engines.map((e) => r.geomean[e]?.ratio ?? null) });

  const values = groups.flatMap((g) => g.ratios.filter((x): x is number => typeof x === 'number' && x > 0));
  const lo = Math.min(0.5, ...values.map((v) => v / 1.2));
  const hi = Math.max(2, ...values.map((v) => v * 1.2));
  const logLo = Math.floor(Math.log10(lo) * 3) / 3;
  const logHi = Math.ceil(Math.log10(hi) * 3) / 3;

  const barW = 11;
  const groupGap = 18;
  const groupW = engines.length * barW + groupGap;
  const left = 64;
  const top = 70;
  const plotH = 360;
  const bottom = 70;
  const width = left + groups.length * groupW + 20;
  const height = top + plotH + bottom;
  const y = (v: number) => top + ((logHi - Math.log10(v)) / (logHi - logLo)) * plotH;
  const y1 = y(1);

  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  parts.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  const emulated = r.engines.some((e) => e.emulated) ? ' (EMULATED under qemu)' : '';
  parts.push(
    `<text x="${left}" y="20" font-size="15" font-weight="bold">kiln bench: time relative to ${esc(ENGINES[r.baseline].label)} (log scale, lower is better)${emulated}</text>`,
  );
  const load = `load avg ${r.host.loadavgStart.join(' ')} → ${r.host.loadavgEnd.join(' ')}`;
  const interp = engines.includes('interp') && r.config.interpDivisor > 1 ? `; interp run at size/${r.config.interpDivisor}, scaled` : '';
  parts.push(`<text x="${left}" y="36" fill="#555">${esc(`${r.config.target}, median of ${r.config.repeat}, ${r.host.cpus} CPUs, ${load}${interp}${r.config.quick ? ' — QUICK MODE, times meaningless' : ''}`)}</text>`);

  // legend
  let lx = left;
  for (const e of engines) {
    parts.push(`<rect x="${lx}" y="46" width="10" height="10" fill="${COLOURS[e]}"/>`);
    parts.push(`<text x="${lx + 14}" y="55">${esc(ENGINES[e].label)}</text>`);
    lx += 24 + ENGINES[e].label.length * 6.5;
  }

  // grid and y labels
  for (let p = Math.floor(logLo); p <= Math.ceil(logHi); p++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      const lv = Math.log10(v);
      if (lv < logLo - 1e-9 || lv > logHi + 1e-9) continue;
      const yy = y(v).toFixed(1);
      parts.push(`<line x1="${left}" x2="${width - 20}" y1="${yy}" y2="${yy}" stroke="${v === 1 ? '#000' : '#ddd'}" stroke-width="${v === 1 ? 1.2 : 1}"/>`);
      parts.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v >= 1 ? v : v.toFixed(1)}×</text>`);
    }
  }
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#000"/>`);

  groups.forEach((g, gi) => {
    const gx = left + gi * groupW + groupGap / 2;
    if (g.name === 'geomean') parts.push(`<rect x="${gx - groupGap / 2 + 2}" y="${top}" width="${groupW - 4}" height="${plotH}" fill="#f3f3f3"/>`);
    g.ratios.forEach((v, ei) => {
      const x = gx + ei * barW;
      const e = engines[ei]!;
      if (v === 'fail') {
        parts.push(`<text x="${x + barW / 2}" y="${(y1 - 4).toFixed(1)}" text-anchor="middle" fill="#c00" font-weight="bold">×</text>`);
        parts.push(`<title>${esc(`${g.name} / ${ENGINES[e].label}: failed`)}</title>`);
        return;
      }
      if (v === null) return;
      const yv = y(v);
      const yTop = Math.min(yv, y1);
      const h = Math.max(1, Math.abs(yv - y1));
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${yTop.toFixed(1)}" width="${barW - 1}" height="${h.toFixed(1)}" fill="${COLOURS[e]}"><title>${esc(`${g.name} / ${ENGINES[e].label}: ${v.toFixed(2)}×`)}</title></rect>`,
      );
    });
    const cx = gx + (engines.length * barW) / 2;
    parts.push(
      `<text x="${cx.toFixed(1)}" y="${top + plotH + 14}" text-anchor="end" transform="rotate(-40 ${cx.toFixed(1)} ${top + plotH + 14})"${g.name === 'geomean' ? ' font-weight="bold"' : ''}>${esc(g.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
