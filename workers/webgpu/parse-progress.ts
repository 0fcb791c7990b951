import type { LoadPhase, WebGpuLoadProgress } from './api';

/** web-llm's InitProgressReport, as its callback passes it. */
export interface InitProgressReport {
  progress: number;
  timeElapsed: number;
  text: string;
}

const MIB = 1024 * 1024;

/**
 * Reads web-llm's progress text (tvmjs `fetchTensorCacheInternal`, 0.2.86):
 *   "Fetching param cache[3/22]: 120MB fetched. 13% completed, 9 secs elapsed. It can take…"
 *   "Loading model from cache[5/22]: 300MB loaded. 33% completed, 2 secs elapsed."
 *   "Loading GPU shader modules[40/80]: 50% completed, 3 secs elapsed."
 *   "Start to fetch params" / "Finish loading on WebGPU - <adapter>"
 * Text that matches none of them passes through as phase 'other' (a newer web-llm may word it
 * differently; the progress number still works).
 */
export function parseProgress(report: InitProgressReport): WebGpuLoadProgress {
  const { text } = report;
  const out: WebGpuLoadProgress = { progress: clamp01(report.progress), text, timeElapsed: report.timeElapsed, phase: phaseOf(text) };
  const shard = /\[(\d+)\/(\d+)\]/.exec(text);
  if (shard && (out.phase === 'fetch' || out.phase === 'cache' || out.phase === 'shaders')) {
    out.shard = { done: Number(shard[1]), total: Number(shard[2]) };
  }
  const bytes = /(\d+)MB (?:fetched|loaded)\. (\d+)% completed, (\d+(?:\.\d+)?) secs elapsed/.exec(text);
  if (bytes) {
    const loaded = Number(bytes[1]) * MIB;
    const percent = Number(bytes[2]);
    const secs = Number(bytes[3]);
    out.loadedBytes = loaded;
    // web-llm rounds MB up and the percent down: the total is an estimate, never below loaded.
    if (percent > 0) out.totalBytes = Math.max(loaded, Math.round((loaded * 100) / percent));
    if (out.phase === 'fetch' && secs > 0) out.bytesPerSecond = loaded / secs;
  }
  return out;
}

function phaseOf(text: string): LoadPhase {
  if (text.startsWith('Fetching param cache')) return 'fetch';
  if (text.startsWith('Loading model from cache')) return 'cache';
  if (text.startsWith('Loading GPU shader modules')) return 'shaders';
  if (text.startsWith('Start to fetch params')) return 'start';
  if (text.startsWith('Finish loading')) return 'done';
  return 'other';
}

function clamp01(n: number): number {
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0;
}
