import type { RendererApi } from '../../src-shared/contract.ts'

declare global {
  interface Window {
    /** Present only in Electron, exposed by src-preload. */
    readonly api?: RendererApi
  }
}

export {}
