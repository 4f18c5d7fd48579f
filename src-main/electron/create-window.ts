import { BrowserWindow, session, type Session } from 'electron'
import { rendererCsp } from '../csp.ts'
import { originOf } from './sender-check.ts'
import { isOwnUrl, windowOptions } from './window-options.ts'
import type { WindowState } from './window-state.ts'

/** Session-wide denials: no permission prompts at all, and the renderer CSP as a response header. */
export function hardenSession(ses: Session, opts: { devServerOrigin?: string }): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.setDevicePermissionHandler(() => false)
  if (opts.devServerOrigin) {
    // app:// responses carry the production CSP themselves; the dev server's responses get the
    // dev policy here (csp.ts explains why it differs).
    const origin = opts.devServerOrigin
    const csp = rendererCsp({ devServerOrigin: origin })
    ses.webRequest.onHeadersReceived((details, callback) => {
      if (!isOwnUrl(details.url, origin))
        return callback({ responseHeaders: details.responseHeaders })
      callback({
        responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
      })
    })
  }
}

export function createMainWindow(opts: {
  preloadPath: string
  url: string
  state?: WindowState
  dark?: boolean
}): BrowserWindow {
  hardenSession(session.defaultSession, {
    devServerOrigin: opts.url.startsWith('http') ? (originOf(opts.url) ?? undefined) : undefined,
  })
  const appOrigin = originOf(opts.url) ?? opts.url
  const win = new BrowserWindow(
    windowOptions({ preloadPath: opts.preloadPath, bounds: opts.state?.bounds, dark: opts.dark }),
  )
  const wc = win.webContents
  wc.setWindowOpenHandler(() => ({ action: 'deny' }))
  wc.on('will-navigate', (event, url) => {
    if (!isOwnUrl(url, appOrigin)) event.preventDefault()
  })
  wc.on('will-redirect', (event, url) => {
    if (!isOwnUrl(url, appOrigin)) event.preventDefault()
  })
  wc.on('will-attach-webview', (event) => event.preventDefault())
  win.once('ready-to-show', () => {
    // Maximize before showing so the window does not jump from its normal bounds.
    if (opts.state?.maximized) win.maximize()
    win.show()
  })
  void win.loadURL(opts.url)
  return win
}
