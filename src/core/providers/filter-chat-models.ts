import type { RemoteModel } from './types';

/**
 * api.openai.com lists every model it has: image, speech, embedding and legacy completion
 * models among the chat ones. As in Open WebUI, those are left out of the picker there; other
 * servers' lists are kept whole (a local "embedding" model name may be what the user wants).
 */
const NON_CHAT = ['babbage', 'dall-e', 'davinci', 'embedding', 'tts', 'whisper'];

export function isOpenAIApi(url: string): boolean {
  try {
    return new URL(url).hostname.toLowerCase() === 'api.openai.com';
  } catch {
    return false;
  }
}

export function filterChatModels(url: string, models: RemoteModel[]): RemoteModel[] {
  if (!isOpenAIApi(url)) return models;
  return models.filter((m) => !NON_CHAT.some((word) => m.id.toLowerCase().includes(word)));
}
