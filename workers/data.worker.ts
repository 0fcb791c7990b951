/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { openDb } from '../src/core/storage/db';
import { systemClock } from './ports';
import { createDataService } from './data';

// Imports and exports run here, apart from the engine, so a 200 MB file never stalls a stream.
Comlink.expose(createDataService(openDb(), systemClock));
