import { afterEach, beforeEach } from 'vitest';
import { startCouchServer, type CouchServer } from '../../e2e/couch-server/server';
import { closeDevices, makeDevice, type Device } from './sync-test-devices';

/**
 * For a test file: a fresh in-memory server before each test, and the devices made with
 * `device()` closed (and their databases deleted) after it, with the server.
 */
export function useSyncServer(): { readonly server: CouchServer; device(name: string, over?: Parameters<typeof makeDevice>[2]): Promise<Device> } {
  let server: CouchServer | undefined;
  const devices: Device[] = [];
  beforeEach(async () => {
    server = await startCouchServer();
  });
  afterEach(async () => {
    await closeDevices(devices.splice(0));
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('useSyncServer: no server outside a test');
      return server;
    },
    async device(name, over = {}) {
      const d = await makeDevice(this.server, name, over);
      devices.push(d);
      return d;
    },
  };
}
