/** Image types every provider we talk to accepts (OpenAI vision, Ollama's llava and kin). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
/** Largest image accepted: OpenAI refuses bigger ones (20 MB) and base64 grows them by a third. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Most images on one message. */
export const MAX_IMAGES = 8;

/**
 * Why a picked file cannot be attached, in words for a notice; null when it can (still to be
 * decoded, which catches a file that only claims to be an image). `already`: images pending.
 */
export function refuseImage(file: { name: string; type: string; size: number }, already: number): string | null {
  const name = file.name || 'The pasted file';
  if (!(IMAGE_TYPES as readonly string[]).includes(file.type)) {
    return `“${name}” is not an image Parley can send (PNG, JPEG, WebP or GIF).`;
  }
  if (file.size > MAX_IMAGE_BYTES) {
    return `“${name}” is ${(file.size / 1024 / 1024).toFixed(1)} MB; images can be at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`;
  }
  if (file.size === 0) return `“${name}” is empty.`;
  if (already >= MAX_IMAGES) return `At most ${MAX_IMAGES} images per message; “${name}” was left out.`;
  return null;
}
