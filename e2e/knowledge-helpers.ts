import type { Page } from '@playwright/test';
import { expect } from './fixtures';

/** Knowledge steps shared by the knowledge specs: settings, bases, documents, stored rows. */

export async function useRemoteEmbeddings(page: Page, model: string): Promise<void> {
  await page.getByTestId('settings-open').click();
  const section = page.getByTestId('knowledge-settings');
  await section.getByTestId('knowledge-engine').selectOption('openai');
  // The only connection of that kind (added by setupOpenAI).
  const conn = section.getByTestId('knowledge-connection');
  await conn.selectOption({ index: 1 });
  await section.getByTestId('knowledge-model').fill(model);
  await section.getByTestId('knowledge-settings-save').click();
  await expect(section.getByTestId('knowledge-settings-status')).toHaveText('Saved.');
  await page.getByRole('button', { name: 'Close settings' }).click();
}

export async function createBase(page: Page, name: string, description = ''): Promise<void> {
  await page.getByTestId('knowledge-open').click();
  const panel = page.getByTestId('knowledge-panel');
  await panel.getByTestId('knowledge-create').click();
  await panel.getByTestId('knowledge-name').fill(name);
  if (description) await panel.getByTestId('knowledge-description').fill(description);
  await panel.getByTestId('knowledge-save').click();
  await expect(panel.getByTestId('knowledge-base')).toBeVisible();
}

/** name → stored status of every document, read from IndexedDB in the page. */
export const docStatuses = () =>
  new Promise<Record<string, string>>((resolve, reject) => {
    const r = indexedDB.open('parley');
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const all = r.result.transaction('documents').objectStore('documents').getAll();
      all.onsuccess = () => {
        resolve(Object.fromEntries((all.result as Array<{ name: string; status: string }>).map((d) => [d.name, d.status])));
        r.result.close();
      };
      all.onerror = () => reject(all.error);
    };
  });

export const doc = (page: Page, name: string) => page.locator(`[data-testid="knowledge-doc"][data-name="${name}"]`);

/** Attaches the first knowledge base to the chat through the composer's paperclip menu. */
export async function attachFirstBase(page: Page, name: string): Promise<void> {
  await page.getByTestId('composer-attach').click();
  await page.getByTestId('knowledge-attach').click();
  await page.getByTestId('knowledge-option').first().click();
  await expect(page.getByTestId('knowledge-chip')).toContainText(name);
}

/** How many rows the knowledge tables hold, read from IndexedDB in the page. */
export const storedRagRows = () =>
  new Promise<Record<string, number>>((resolve, reject) => {
    const r = indexedDB.open('parley');
    r.onerror = () => reject(r.error);
    r.onsuccess = () => {
      const names = ['documents', 'sources', 'chunks', 'vectors'];
      const tx = r.result.transaction(names);
      const out: Record<string, number> = {};
      for (const n of names) {
        const c = tx.objectStore(n).count();
        c.onsuccess = () => (out[n] = c.result);
      }
      tx.oncomplete = () => {
        r.result.close();
        resolve(out);
      };
      tx.onerror = () => reject(tx.error);
    };
  });
