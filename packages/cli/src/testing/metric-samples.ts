/** Test support: reads samples out of Prometheus text (what /metrics answers). */

/** `name{a="x",b="y"} 3` → the value of the sample with exactly these labels, or null when absent. */
export function metricSample(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number | null {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found = (match[2] ?? '')
      .split(/,(?=[a-zA-Z_]+=")/)
      .filter((p) => p.length > 0)
      .sort()
      .join(',');
    if (found === wanted) return Number(match[3]);
  }
  return null;
}

/** The sample's value, 0 when absent (a counter that has not moved yet). */
export function counterValue(text: string, name: string, labels: Readonly<Record<string, string>> = {}): number {
  return metricSample(text, name, labels) ?? 0;
}
