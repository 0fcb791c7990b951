import type { WebGpuLoadProgress } from '../../../workers/webgpu/api';
import { progressLine, progressPercent } from './format';

/**
 * A model's download or load: a bar for the current step (web-llm counts each step from 0 to
 * 100: download, then shaders) and one line with step, bytes, percent and speed.
 */
export function DownloadProgress(props: { progress: WebGpuLoadProgress | null; name: string }) {
  const percent = () => progressPercent(props.progress);
  return (
    <div class="webgpu-progress">
      <div
        class="webgpu-bar"
        role="progressbar"
        data-testid="webgpu-progress"
        aria-label={`Downloading ${props.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent()}
        aria-valuetext={progressLine(props.progress)}
      >
        <div class="webgpu-bar-fill" style={{ width: `${percent()}%` }} />
      </div>
      <span class="small muted" data-testid="webgpu-progress-text">{progressLine(props.progress)}</span>
    </div>
  );
}
