import type { z } from 'zod'
import { AppError } from '../../src-shared/errors.ts'
import type { RendererEvents } from '../renderer-events.ts'
import type { MainContext } from '../main-context.ts'

/** The parts that differ between Electron and a plain browser. */
export interface Platform {
  /** Shows a native open dialog and reads the chosen file; null when cancelled. */
  pickMetadataFile(): Promise<{ name: string; text: string } | null>
  writeClipboard(text: string): Promise<void>
  /** Clears the clipboard only if it still holds `text`; true when it did. */
  clearClipboardIfEquals?(text: string): Promise<boolean>
}

/** What the handler factories get from the front door (Electron or the web host). */
export interface HandlerDeps {
  platform: Platform
  runtime: string
  /** The long-lived services (backends, secrets); absent in hosts that serve no backend. */
  context?: MainContext
  /** Main-to-renderer streams (log events); absent where nobody listens (CLI, some tests). */
  hub?: RendererEvents
}

/** The handlers of one domain's channel map, typed from that map alone. */
export type DomainHandlers<C extends Record<string, { input: z.ZodType; output: z.ZodType }>> = {
  [K in keyof C]: (input: z.output<C[K]['input']>) => Promise<z.output<C[K]['output']>>
}

/**
 * Used by the web host: the browser does file picking and clipboard itself (the renderer's web
 * transport implements those channels locally), so reaching these means a caller bypassed it.
 */
export const browserPlatform: Platform = {
  pickMetadataFile: () => Promise.reject(unsupported('metadata.pickFile')),
  writeClipboard: () => Promise.reject(unsupported('clipboard.writeText')),
}

function unsupported(channel: string): AppError {
  return new AppError('ipc.unsupported', `${channel} is not available over the web host.`, {
    hint: 'The browser picks files and writes the clipboard itself; use the page, not the HTTP API, for this.',
  })
}
