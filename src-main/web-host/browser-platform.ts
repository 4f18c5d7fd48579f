import { AppError } from '../../src-shared/errors.ts'
import type { Clipboard, Dialogs } from '../app-services.ts'

/**
 * The web host's clipboard and dialogs: the browser does file picking and clipboard itself (the
 * renderer's web transport implements those channels locally), so reaching these means a caller
 * bypassed it. The token clipboard clear has nothing to clear in main.
 */
export const browserClipboard: Clipboard = {
  writeText: () => Promise.reject(unsupported('clipboard.writeText')),
  clearIfEquals: async () => false,
}

export const browserDialogs: Dialogs = {
  pickMetadataFile: () => Promise.reject(unsupported('metadata.pickFile')),
}

function unsupported(channel: string): AppError {
  return new AppError('ipc.unsupported', `${channel} is not available over the web host.`, {
    hint: 'The browser picks files and writes the clipboard itself; use the page, not the HTTP API, for this.',
  })
}
