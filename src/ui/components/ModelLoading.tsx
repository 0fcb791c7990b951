import type { WebGpuLoadProgress } from '../../../workers/webgpu/api';
import { progressLine, progressPercent } from '../webgpu/format';

/**
 * An in-browser model loading (downloaded or read from storage) before its first token: a bar
 * and one line (phase, bytes, percent, speed). Loaded lazily: only In-browser answers show it.
 */
export function ModelLoading(props: { progress: WebGpuLoadProgress; model: string }) {
  return (
    <div class="model-loading" data-testid="model-loading">
      <progress max={100} value={progressPercent(props.progress)} aria-label={`Loading ${props.model}`} />
      <span class="small muted">{progressLine(props.progress)}</span>
    </div>
  );
}
