/**
 * Progress of a long CLI job (rebuild, backfill): a cli-progress bar on a TTY (done/total, rate,
 * ETA), plain lines otherwise (at most one every `plainEveryMs`, plus the final one), so CI logs
 * and pipes stay readable. Rate and ETA come from the job when it knows them, else from elapsed
 * time here.
 */
import cliProgress from 'cli-progress';

export interface ProgressUpdate {
  readonly done: number;
  readonly total: number | null;
  /** Units per second as the job measures it; default computed from elapsed time. */
  readonly perSecond?: number;
  readonly etaSeconds?: number | null;
}

export interface ProgressReporter {
  update(p: ProgressUpdate): void;
  finish(message?: string): void;
}

export interface ProgressReporterOptions {
  /** What is counted ("events", "leads"). */
  readonly unit: string;
  readonly label: string;
  readonly stream?: NodeJS.WriteStream;
  /** Force plain lines (default: plain unless the stream is a TTY). */
  readonly plain?: boolean;
  readonly plainEveryMs?: number;
  readonly now?: () => number;
}

function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${s}s`;
}

/** One plain progress line, e.g. `rebuild: 1200/5000 events (24%), 950 events/s, ETA 4s`. */
export function formatProgressLine(
  label: string,
  unit: string,
  p: ProgressUpdate & { readonly perSecond: number },
): string {
  const pct = p.total !== null && p.total > 0 ? ` (${Math.min(100, Math.floor((p.done / p.total) * 100))}%)` : '';
  const total = p.total === null ? '?' : String(p.total);
  return `${label}: ${p.done}/${total} ${unit}${pct}, ${Math.round(p.perSecond)} ${unit}/s, ETA ${formatEta(p.etaSeconds)}`;
}

export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const plain = options.plain ?? !stream.isTTY;
  const now = options.now ?? Date.now;
  const started = now();
  let lastLine = Number.NEGATIVE_INFINITY; // the first update prints at once
  let last: (ProgressUpdate & { perSecond: number }) | null = null;
  let lastPrinted = false;
  const bar = plain
    ? null
    : new cliProgress.SingleBar(
        {
          stream,
          format: `${options.label} [{bar}] {percentage}% | {value}/{total} ${options.unit} | {rate} ${options.unit}/s | ETA {etaText}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
  let barStarted = false;

  const complete = (p: ProgressUpdate): ProgressUpdate & { perSecond: number } => {
    const elapsed = Math.max(0.001, (now() - started) / 1000);
    const perSecond = p.perSecond ?? p.done / elapsed;
    const etaSeconds =
      p.etaSeconds !== undefined
        ? p.etaSeconds
        : p.total !== null && perSecond > 0
          ? (p.total - p.done) / perSecond
          : null;
    return { ...p, perSecond, etaSeconds };
  };

  return {
    update(update) {
      const p = complete(update);
      last = p;
      lastPrinted = false;
      if (bar !== null) {
        const total = Math.max(p.total ?? p.done, p.done, 1);
        const payload = { rate: Math.round(p.perSecond), etaText: formatEta(p.etaSeconds) };
        if (!barStarted) {
          bar.start(total, p.done, payload);
          barStarted = true;
        } else {
          bar.setTotal(total);
          bar.update(p.done, payload);
        }
        return;
      }
      if (now() - lastLine >= (options.plainEveryMs ?? 2_000)) {
        lastLine = now();
        stream.write(`${formatProgressLine(options.label, options.unit, p)}\n`);
        lastPrinted = true;
      }
    },
    finish(message) {
      if (bar !== null && barStarted) bar.stop();
      else if (bar === null && last !== null && !lastPrinted)
        stream.write(`${formatProgressLine(options.label, options.unit, last)}\n`);
      if (message !== undefined) stream.write(`${message}\n`);
    },
  };
}
