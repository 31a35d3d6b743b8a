/**
 * `pnpm bench:report`: reads every bench/results/*.json and writes bench/README.md, one table of
 * every figure of every bench (value, baseline, ratio, goal, met or missed) and each run's time and
 * machine. The logic lives in @recon/testkit's bench-report folder (unit-tested there); this root
 * script is only its entry point, so it imports the folder by path (the repo root is no package).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchResult, renderBenchReport, type BenchResult } from '../packages/testkit/src/bench-report/index';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const resultsDir = path.join(benchDir, 'results');

async function main(): Promise<void> {
  const files = (await readdir(resultsDir)).filter((f) => f.endsWith('.json')).sort();
  const results: BenchResult[] = [];
  for (const file of files) {
    const parsed = parseBenchResult(JSON.parse(await readFile(path.join(resultsDir, file), 'utf8')));
    if (!parsed.ok) throw new Error(`bench/results/${file}: ${parsed.message}`);
    results.push(parsed.value);
  }
  await writeFile(path.join(benchDir, 'README.md'), renderBenchReport(results));
  console.log(
    `bench/README.md: ${results.length} benches, ${results.reduce((n, r) => n + r.figures.length, 0)} figures`,
  );
}

await main();
