import type { RendererApi } from '../../../src-shared/contract.ts'

/** The promise: a copied token leaves the clipboard after a minute. */
export const CLIPBOARD_CLEAR_MS = 60_000

/**
 * Copies a secret and schedules clearing it. Main (or the browser transport) clears only if the
 * clipboard still holds this secret, so what the person copied since is left alone.
 */
export async function copySecret(
  api: Pick<RendererApi, 'clipboard.writeText' | 'clipboard.clearIfEquals'>,
  text: string,
  clearAfterMs = CLIPBOARD_CLEAR_MS,
): Promise<boolean> {
  const written = await api['clipboard.writeText']({ text })
  if (!written.ok) return false
  setTimeout(() => void api['clipboard.clearIfEquals']({ text }), clearAfterMs)
  return true
}
