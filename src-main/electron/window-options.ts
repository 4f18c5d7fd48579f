import type { BrowserWindowConstructorOptions } from 'electron'
import { originOf } from './sender-check.ts'
import { DEFAULT_SIZE, MIN_SIZE, type Rect } from './window-state.ts'

/**
 * The page background (styles.css `--bg`) for each OS theme, painted before the renderer loads so
 * a dark desktop never flashes a white window.
 */
export function backgroundFor(dark: boolean): string {
  return dark ? '#15181d' : '#f5f6f8'
}

/**
 * The one window factory. Everything that makes a renderer safe to point at untrusted content
 * (pasted metadata, fetched documents) is decided here and asserted by create-window.test.ts.
 */
export function windowOptions(opts: {
  preloadPath: string
  /** Restored bounds (window-state.ts); without them the OS places a default-sized window. */
  bounds?: Rect
  dark?: boolean
}): BrowserWindowConstructorOptions {
  return {
    ...(opts.bounds ?? DEFAULT_SIZE),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'scim-console',
    backgroundColor: backgroundFor(opts.dark ?? false),
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
