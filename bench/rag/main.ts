/** The bench page: starts the worker and lets the driver run it through window.__ragBench. */
import type { FromWorker, RagBenchOptions, RagBenchResult, ToWorker } from './protocol';

declare global {
  interface Window {
    __ragBench: { run(options: RagBenchOptions): Promise<RagBenchResult> };
  }
}

window.__ragBench = {
  run(options) {
    const worker = new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' });
    return new Promise<RagBenchResult>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        const m = e.data;
        if (m.type === 'progress') console.log(`[rag bench] ${m.message}`);
        else {
          worker.terminate();
          if (m.type === 'done') resolve(m.result);
          else reject(new Error(m.message));
        }
      };
      worker.onerror = (e) => {
        worker.terminate();
        reject(new Error(e.message || 'worker failed'));
      };
      worker.postMessage({ type: 'run', options } satisfies ToWorker);
    });
  },
};
