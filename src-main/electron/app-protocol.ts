import { protocol } from 'electron'
import { ELECTRON_CSP } from '../csp.ts'
import { readStaticFile } from '../web-host/static-files.ts'

/**
 * The renderer is served from app://renderer/ rather than file://: file:// pages share one origin
 * with the whole disk, and response headers (our CSP) cannot be set on them.
 */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = 'app://renderer'

/** Must run before app `ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
  ])
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'renderer') return new Response('Not found', { status: 404 })
    const file = await readStaticFile(rendererDir, url.pathname)
    if (!file) return new Response('Not found', { status: 404 })
    return new Response(new Uint8Array(file.body), {
      headers: {
        'Content-Type': file.contentType,
        'Content-Security-Policy': ELECTRON_CSP,
        'X-Content-Type-Options': 'nosniff',
      },
    })
  })
}
