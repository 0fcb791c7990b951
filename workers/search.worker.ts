import * as Comlink from 'comlink';
import { openDb } from '../src/core/storage/db';
import { createSearchService } from './search-service';

/** Chromium's heap figure (non-standard), for the bench's memory report. */
const heap = () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;

const service = createSearchService(openDb(), { heap });
Comlink.expose(service);
