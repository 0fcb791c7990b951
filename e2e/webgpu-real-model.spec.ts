import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { test, expect } from '@playwright/test';
import config from '../playwright.config';
import { lastAssistant, pickModel, send } from './fixtures';
import { closeSettings, importFolder, openInBrowserModels } from './webgpu-helpers';

/**
 * Issue 8, test (3): a REAL web-llm model, run only when PARLEY_WEBLLM_MODEL_DIR points at a
 * local folder of its files (the README's folder layout: mlc-chat-config.json, tensor-cache.json,
 * the shards, tokenizer.json and the model library .wasm). PARLEY_WEBLLM_MODEL_ID names the model
 * (default: the folder's name). It imports the folder in the built app, with WebGPU on
 * (--enable-unsafe-webgpu; on this machine that is SwiftShader, so only q4f32/q0f32 models can
 * run, slowly), asks a question and expects a non-empty answer. No model can be downloaded here,
 * so without the variable it is skipped with a notice.
 */
const DIR = process.env.PARLEY_WEBLLM_MODEL_DIR;
const MODEL = process.env.PARLEY_WEBLLM_MODEL_ID ?? (DIR ? basename(resolve(DIR)) : '');
const BASE_ARGS = config.use?.launchOptions?.args ?? [];

if (!DIR) {
  console.log('webgpu-real-model.spec: skipped — set PARLEY_WEBLLM_MODEL_DIR to a folder of web-llm model files (and PARLEY_WEBLLM_MODEL_ID) to run a real model.');
}

// A real GPU when there is one (no --disable-gpu), else SwiftShader.
test.use({ launchOptions: { executablePath: config.use?.launchOptions?.executablePath, args: [...BASE_ARGS.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu'] } });

test.describe('a real web-llm model from a local folder', () => {
  test.skip(!DIR, 'PARLEY_WEBLLM_MODEL_DIR is not set (no web-llm model files on this machine)');
  test.setTimeout(30 * 60_000);

  test('imports it and answers a question', async ({ page }) => {
    expect(existsSync(DIR!), `${DIR} exists`).toBe(true);
    await page.goto('/');
    await openInBrowserModels(page);
    const result = await importFolder(page, MODEL, resolve(DIR!));
    await expect(result).toHaveAttribute('data-status', 'ok');
    await closeSettings(page);
    await pickModel(page, MODEL);
    await send(page, 'What is the capital of France? Answer in one word.');
    const answer = lastAssistant(page);
    await expect(answer).toHaveAttribute('data-status', /done|error/, { timeout: 25 * 60_000 });
    await expect(answer).toHaveAttribute('data-status', 'done');
    expect((await answer.getByTestId('message-content').innerText()).trim().length).toBeGreaterThan(0);
  });
});
