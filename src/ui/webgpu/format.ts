import { formatBytes } from '../../core/storage/storage-status';
import type { GpuCaps } from '../../core/webgpu/detect';
import type { LoadPhase, WebGpuLoadProgress } from '../../../workers/webgpu/api';

/**
 * The words and numbers Settings › In-browser models shows for sizes, speeds, load progress and
 * the adapter. Sizes use the same binary units as Settings › Storage (formatBytes), so "880 MB"
 * means the same thing in both places.
 */

const MIB = 1024 * 1024;

/** "4.2 MB/s"; "" for a speed that is not a positive number. */
export function formatSpeed(bytesPerSecond: number | undefined): string {
  if (bytesPerSecond === undefined || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** web-llm's vram_required_MB (MiB) as "880 MB" or "1.5 GB". */
export function formatVram(mb: number): string {
  return formatBytes(mb * MIB);
}

/** A context window in tokens: 4096 → "4K", 131072 → "128K", 128000 → "128K", 512 → "512". */
export function formatContext(tokens: number): string {
  // 128000 is both 125 × 1024 and 128 × 1000: web-llm's round numbers are decimal first.
  if (tokens >= 1000 && tokens % 1000 === 0) return `${tokens / 1000}K`;
  if (tokens >= 1024 && tokens % 1024 === 0) return `${tokens / 1024}K`;
  if (tokens >= 1000) return `${Math.round(tokens / 1000)}K`;
  return String(tokens);
}

/** The share of the current phase done, 0–100 (web-llm restarts at 0 for each phase). */
export function progressPercent(p: Pick<WebGpuLoadProgress, 'progress'> | null | undefined): number {
  if (!p || !Number.isFinite(p.progress)) return 0;
  return Math.round(Math.min(1, Math.max(0, p.progress)) * 100);
}

const PHASES: Record<LoadPhase, string> = {
  fetch: 'Downloading',
  cache: 'Loading from cache',
  shaders: 'Compiling shaders',
  start: 'Starting',
  done: 'Ready',
  other: 'Loading',
};

/** What step the load is in, in words. */
export function phaseLabel(phase: LoadPhase): string {
  return PHASES[phase];
}

/** "120 MB of 880 MB", "120 MB" when the total is unknown, "" without bytes. */
export function formatProgressBytes(p: Pick<WebGpuLoadProgress, 'loadedBytes' | 'totalBytes'>): string {
  if (p.loadedBytes === undefined) return '';
  if (p.totalBytes === undefined || p.totalBytes <= 0) return formatBytes(p.loadedBytes);
  return `${formatBytes(p.loadedBytes)} of ${formatBytes(p.totalBytes)}`;
}

/**
 * One line for a running load: "Downloading · 120 MB of 880 MB · 13% · 4.2 MB/s", or for the
 * shader step "Compiling shaders · 40 of 80 · 50%". Null progress means the worker has not
 * reported yet.
 */
export function progressLine(p: WebGpuLoadProgress | null): string {
  if (!p) return 'Starting…';
  const parts = [phaseLabel(p.phase)];
  const bytes = formatProgressBytes(p);
  if (bytes) parts.push(bytes);
  else if (p.shard && p.shard.total > 0) parts.push(`${p.shard.done} of ${p.shard.total}`);
  parts.push(`${progressPercent(p)}%`);
  const speed = p.phase === 'fetch' ? formatSpeed(p.bytesPerSecond) : '';
  if (speed) parts.push(speed);
  return parts.join(' · ');
}

/** "GPU: apple metal-3", "GPU: google swiftshader · software adapter · no shader-f16". */
export function adapterLine(caps: GpuCaps): string {
  const name = [caps.vendor, caps.architecture].filter((s) => s && s.trim()).join(' ') || 'unnamed adapter';
  const parts = [`GPU: ${name}`];
  if (caps.isFallback) parts.push('software adapter (slow)');
  if (!caps.f16) parts.push('no shader-f16');
  return parts.join(' · ');
}

/** "1.2 GB of 50 GB used by this site · downloaded models: 880 MB", or as much as is known. */
export function storageLine(estimate: { usage?: number; quota?: number } | null, modelBytes: number | null): string {
  const parts: string[] = [];
  const usage = estimate?.usage;
  const quota = estimate?.quota;
  if (usage !== undefined && Number.isFinite(usage)) {
    parts.push(quota ? `${formatBytes(usage)} of ${formatBytes(quota)} used by this site` : `${formatBytes(usage)} used by this site`);
  }
  if (modelBytes !== null) parts.push(`downloaded models: ${formatBytes(modelBytes)}`);
  if (parts.length === 0) return 'The browser did not say how much space is used.';
  const line = parts.join(' · ');
  return line.charAt(0).toUpperCase() + line.slice(1);
}

export { formatBytes };
