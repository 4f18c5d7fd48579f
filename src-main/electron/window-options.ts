import type { BrowserWindowConstructorOptions } from 'electron'
import { originOf } from './sender-check.ts'

/**
 * The one window factory. Everything that makes a renderer safe to point at untrusted content
 * (pasted metadata, fetched documents) is decided here and asserted by create-window.test.ts.
 */
export function windowOptions(opts: { preloadPath: string }): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 820,
    minWidth: 880,
    minHeight: 600,
    show: false,
    title: 'scim-console',
    backgroundColor: '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  }
}

/** True when `url` is the page we loaded (same origin); anything else is refused. */
export function isOwnUrl(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin
}
