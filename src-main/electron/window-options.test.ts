import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ELECTRON_CSP, WEB_HOST_CSP } from '../csp.ts'
import { backgroundFor, isOwnUrl, windowOptions } from './window-options.ts'

// Electron cannot launch on the test machines, so the factory's decisions are a pure function
// that create-window.ts passes to BrowserWindow unchanged.
describe('windowOptions', () => {
  const prefs = windowOptions({ preloadPath: '/app/out/preload/index.cjs' }).webPreferences!

  it('isolates and sandboxes the renderer', () => {
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.sandbox).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.navigateOnDragDrop).toBe(false)
  })

  it('loads the bundled CommonJS preload, as a sandboxed preload requires', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs')
  })
})

describe('windowOptions bounds and theme', () => {
  it('opens at the restored bounds, never below the minimum size', () => {
    const opts = windowOptions({
      preloadPath: '/p.cjs',
      bounds: { x: 40, y: 60, width: 1000, height: 700 },
    })
    expect(opts).toMatchObject({ x: 40, y: 60, width: 1000, height: 700 })
    expect(opts).toMatchObject({ minWidth: 880, minHeight: 600 })
    expect(windowOptions({ preloadPath: '/p.cjs' })).toMatchObject({ width: 1200, height: 820 })
    expect(windowOptions({ preloadPath: '/p.cjs' }).x).toBeUndefined()
  })

  it('paints the background of the OS theme so a dark desktop gets no white flash', () => {
    expect(windowOptions({ preloadPath: '/p.cjs', dark: true }).backgroundColor).toBe('#15181d')
    expect(windowOptions({ preloadPath: '/p.cjs', dark: false }).backgroundColor).toBe('#f5f6f8')
  })

  it('matches the renderer stylesheet background for both themes', () => {
    const css = readFileSync(
      join(import.meta.dirname, '../../src-renderer/src/styles/tokens.css'),
      'utf8',
    )
    const backgrounds = [...css.matchAll(/--bg:\s*(#[0-9a-f]{6})/gi)].map((m) => m[1])
    expect(backgrounds).toEqual([backgroundFor(false), backgroundFor(true)])
  })
})

describe('isOwnUrl', () => {
  it('allows only the page origin for navigation', () => {
    expect(isOwnUrl('app://renderer/index.html#x', 'app://renderer')).toBe(true)
    expect(isOwnUrl('https://evil.example/', 'app://renderer')).toBe(false)
    expect(isOwnUrl('file:///etc/passwd', 'app://renderer')).toBe(false)
    expect(isOwnUrl('not a url', 'app://renderer')).toBe(false)
  })
})

describe('CSP', () => {
  it('gives Electron no network at all and the web host only its own origin', () => {
    for (const csp of [ELECTRON_CSP, WEB_HOST_CSP]) {
      expect(csp).toContain("default-src 'none'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("style-src 'self'")
      expect(csp).toContain("img-src 'self' data:")
      expect(csp).not.toContain('unsafe')
    }
    expect(ELECTRON_CSP).toContain("connect-src 'none'")
    expect(WEB_HOST_CSP).toContain("connect-src 'self'")
  })
})
