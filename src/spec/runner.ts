/**
 * Runs spec scripts on an engine: finds the .wast files, converts them (cached),
 * applies the skip list, and tallies each file's outcomes.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandOutcome, SpecEngine } from './engine.js';
import { loadSkipList, skipReason } from './skiplist.js';
import type { SkipList } from './skiplist.js';
import { convertWast } from './wast2json.js';

export interface FileReport {
  file: string;
  passed: number;
  failed: number;
  skipped: number;
  notApplicable: number;
  /** Rejections whose message matched the spec's expected text / all rejections checked. */
  messagesMatched: number;
  messagesChecked: number;
  failures: CommandOutcome[];
  skips: CommandOutcome[];
  /** Set when the file could not be run at all (conversion failed); counts as one failure. */
  error?: string;
}

export interface RunTotals {
  passed: number;
  failed: number;
  skipped: number;
  notApplicable: number;
  messagesMatched: number;
  messagesChecked: number;
}

/** Expands directories to the `.wast` files directly inside them (proposals are named explicitly). */
export function collectWastFiles(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) if (name.endsWith('.wast')) files.push(join(abs, name));
    } else {
      files.push(abs);
    }
  }
  return files;
}

export async function runSpecFile(engine: SpecEngine, wastPath: string, skips: SkipList = loadSkipList()): Promise<FileReport> {
  const report: FileReport = { file: wastPath, passed: 0, failed: 0, skipped: 0, notApplicable: 0, messagesMatched: 0, messagesChecked: 0, failures: [], skips: [] };
  let outcomes: CommandOutcome[];
  try {
    const { dir, script } = await convertWast(wastPath);
    outcomes = await engine.run({ script, dir, wastPath, skipReason: (cmd) => skipReason(skips, engine.name, wastPath, cmd, dir) });
  } catch (e) {
    report.failed = 1;
    report.error = e instanceof Error ? e.message : String(e);
    return report;
  }
  for (const o of outcomes) {
    if (o.status === 'passed') report.passed++;
    else if (o.status === 'failed') (report.failed++, report.failures.push(o));
    else if (o.status === 'skipped') (report.skipped++, report.skips.push(o));
    else report.notApplicable++;
    if (o.messageMatched !== undefined) {
      report.messagesChecked++;
      if (o.messageMatched) report.messagesMatched++;
    }
  }
  return report;
}

/** Runs files with up to `jobs` in flight, calling `onFile` as each finishes (in completion order). */
export async function runSpecFiles(
  engine: SpecEngine,
  files: string[],
  opts: { jobs?: number; onFile?: (r: FileReport) => void } = {},
): Promise<{ reports: FileReport[]; totals: RunTotals }> {
  const skips = loadSkipList();
  const reports: FileReport[] = new Array(files.length);
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const i = next++;
      reports[i] = await runSpecFile(engine, files[i]!, skips);
      opts.onFile?.(reports[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.jobs ?? 1) }, worker));
  const totals: RunTotals = { passed: 0, failed: 0, skipped: 0, notApplicable: 0, messagesMatched: 0, messagesChecked: 0 };
  for (const r of reports) {
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
    totals.notApplicable += r.notApplicable;
    totals.messagesMatched += r.messagesMatched;
    totals.messagesChecked += r.messagesChecked;
  }
  return { reports, totals };
}

/** The closing line of every spec run, exactly `N passed, N failed, N skipped`. */
export function formatTotals(t: RunTotals): string {
  return `${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;
}
