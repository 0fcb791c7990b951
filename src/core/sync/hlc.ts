import type { Hlc } from './types';

/**
 * Hybrid logical clocks for sync (issue 9). A stamp is `<wall>-<counter>-<device>`: wall-clock
 * milliseconds as 13 decimal digits, a counter as 4 base-36 digits, and the stamping device's
 * id. Every part is fixed width except the device id, which comes last, so plain string
 * comparison is clock order: wall first, then counter, then device id as the tie-break of two
 * devices stamping the same wall+counter.
 */

/** Largest wall value that fits 13 digits (year 2286). */
const MAX_WALL = 9_999_999_999_999;
/** Largest counter that fits 4 base-36 digits; one more moves the stamp to the next millisecond. */
export const MAX_COUNTER = 36 ** 4 - 1;
const DEVICE_RE = /^[0-9a-z]{1,64}$/;
/** The whole stamp; exported for schemas that validate stamps read from the server. */
export const HLC_RE = /^\d{13}-[0-9a-z]{4}-[0-9a-z]{1,64}$/;

export interface ParsedHlc {
  wall: number;
  counter: number;
  device: string;
}

export interface HlcClock {
  /** A new stamp, greater than every stamp this clock issued or observed before. */
  now(): Hlc;
  /** Takes in a stamp seen elsewhere (another device, another tab): later `now()` stamps are greater. */
  observe(remote: Hlc): void;
  /** The greatest stamp issued or observed so far (`<0…>-0000-<device>` before any). */
  last(): Hlc;
}

export function formatHlc(wall: number, counter: number, device: string): Hlc {
  if (!Number.isSafeInteger(wall) || wall < 0 || wall > MAX_WALL) throw new Error(`HLC wall out of range: ${wall}`);
  if (!Number.isSafeInteger(counter) || counter < 0 || counter > MAX_COUNTER) {
    throw new Error(`HLC counter out of range: ${counter}`);
  }
  if (!DEVICE_RE.test(device)) throw new Error(`HLC device id must be 1–64 characters of [0-9a-z]: ${JSON.stringify(device)}`);
  return `${String(wall).padStart(13, '0')}-${counter.toString(36).padStart(4, '0')}-${device}`;
}

/** Splits a stamp into its parts; throws on anything that is not exactly the format above. */
export function parseHlc(h: Hlc): ParsedHlc {
  if (typeof h !== 'string' || !HLC_RE.test(h)) throw new Error(`Malformed HLC stamp: ${JSON.stringify(h)}`);
  return { wall: Number(h.slice(0, 13)), counter: parseInt(h.slice(14, 18), 36), device: h.slice(19) };
}

export function isHlc(h: unknown): h is Hlc {
  return typeof h === 'string' && HLC_RE.test(h);
}

/** The later of two stamps; null counts as earlier than any stamp. */
export function maxHlc(a: Hlc | null, b: Hlc | null): Hlc | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

/**
 * A random device id: 12 base-36 characters (62 bits), enough that two devices of one user
 * never share one. `random` returns numbers in [0, 1) and defaults to crypto.getRandomValues.
 */
export function newDeviceId(random: () => number = cryptoRandom): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += Math.min(35, Math.floor(random() * 36)).toString(36);
  return id;
}

function cryptoRandom(): number {
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/**
 * A clock for one device. `now` is the wall clock (a port, so tests can move it backwards).
 * The clock keeps the greatest (wall, counter) it has issued or observed: a new stamp uses the
 * wall clock when it is ahead of that, else the same wall with the counter + 1, and when the
 * counter is full, wall + 1 with counter 0. So stamps strictly increase even when the wall
 * clock goes back or thousands of stamps fall in one millisecond.
 */
export function createClock(deviceId: string, now: () => number = Date.now): HlcClock {
  if (!DEVICE_RE.test(deviceId)) throw new Error(`HLC device id must be 1–64 characters of [0-9a-z]: ${JSON.stringify(deviceId)}`);
  let wall = 0;
  let counter = 0;
  let last = formatHlc(0, 0, deviceId);

  return {
    now() {
      const t = Math.floor(now());
      if (Number.isFinite(t) && t > wall) {
        wall = t;
        counter = 0;
      } else if (counter < MAX_COUNTER) {
        counter += 1;
      } else {
        wall += 1;
        counter = 0;
      }
      last = formatHlc(wall, counter, deviceId);
      return last;
    },
    observe(remote) {
      const r = parseHlc(remote);
      if (remote > last) {
        // Taking the remote (wall, counter) is enough: our next stamp has a greater counter or
        // wall, and the device id only breaks ties between equal (wall, counter).
        wall = r.wall;
        counter = r.counter;
        last = remote;
      }
    },
    last: () => last,
  };
}
