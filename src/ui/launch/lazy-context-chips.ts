import { lazy } from 'solid-js';

/** The chips (and their CSS) load with the first page attached: most sessions never show one. */
export const LazyContextChips = lazy(() => import('./ContextChips').then((m) => ({ default: m.ContextChips })));
