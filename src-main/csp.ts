/**
 * Content-Security-Policy for the renderer. Electron gets `connect-src 'none'` because all network
 * is in main; the web host must allow `'self'` so the page can reach its own API and event stream.
 * Both are sent as response headers (not a meta tag), since a meta tag would intersect with the
 * header and block the web host's fetches.
 */
const base = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
]

export const ELECTRON_CSP = [...base, "connect-src 'none'"].join('; ')
export const WEB_HOST_CSP = [...base, "connect-src 'self'"].join('; ')

/**
 * The policy for pages served by `electron-vite dev`. Vite injects what production never has: the
 * React refresh preamble as an inline script, CSS as inline `<style>` tags, and a hot-reload
 * websocket back to the dev server. The production policy blocks all three and the window stays
 * blank, so dev pages get a policy that allows exactly those, for the dev server's origin only.
 * It is never applied to app:// (the packaged renderer).
 */
export function devServerCsp(devServerOrigin: string): string {
  const url = new URL(devServerOrigin)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`The dev server origin must be http(s), got ${devServerOrigin}`)
  }
  const origin = `${url.protocol}//${url.host}`
  const socket = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${origin}`,
    `style-src 'self' 'unsafe-inline' ${origin}`,
    `img-src 'self' data: ${origin}`,
    `font-src 'self' ${origin}`,
    `connect-src ${origin} ${socket}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Which policy a renderer response gets: the dev server's own, or production's. */
export function rendererCsp(mode: { devServerOrigin?: string | undefined }): string {
  return mode.devServerOrigin ? devServerCsp(mode.devServerOrigin) : ELECTRON_CSP
}
