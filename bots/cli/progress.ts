import cliProgress from 'cli-progress';

const interactive = () => Boolean(process.stderr.isTTY) && process.env.CI !== 'true';

/** A records progress bar (records/s, ETA) on a terminal; nothing otherwise (structured logs cover it). */
export function recordsProgress(label: string): { update(done: number, total: number): void; stop(): void } {
  if (!interactive()) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {value}/{total} records | {speed} records/s | ETA {eta_formatted}`,
      stream: process.stderr,
      etaBuffer: 200,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let running = false;
  return {
    update(done, total) {
      const speed = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
      if (!running) {
        bar.start(total, done, { speed });
        running = true;
      }
      bar.setTotal(Math.max(total, done));
      bar.update(done, { speed });
    },
    stop() {
      if (running) bar.stop();
    },
  };
}

/** Model download progress (first use of the local provider on a connected machine). */
export function downloadProgress(): ((file: string, percent: number) => void) | undefined {
  if (!interactive()) return undefined;
  const bars = new cliProgress.MultiBar(
    { format: 'downloading {file} {bar} {percentage}%', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const byFile = new Map<string, cliProgress.SingleBar>();
  return (file, percent) => {
    let bar = byFile.get(file);
    if (!bar) {
      bar = bars.create(100, 0, { file });
      byFile.set(file, bar);
    }
    bar.update(Math.round(percent), { file });
    if (percent >= 100) bar.stop();
  };
}
