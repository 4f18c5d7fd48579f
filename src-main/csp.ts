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
