import { describe, expect, it } from 'vitest'
import { devServerCsp, ELECTRON_CSP, rendererCsp, WEB_HOST_CSP } from './csp.ts'

const directive = (csp: string, name: string): string =>
  csp
    .split('; ')
    .find((d) => d.startsWith(`${name} `))
    ?.slice(name.length + 1) ?? ''

describe('renderer CSP per mode', () => {
  it('gives the packaged app the strict policy: no inline code, no network', () => {
    expect(rendererCsp({})).toBe(ELECTRON_CSP)
    expect(directive(ELECTRON_CSP, 'script-src')).toBe("'self'")
    expect(directive(ELECTRON_CSP, 'style-src')).toBe("'self'")
    expect(directive(ELECTRON_CSP, 'connect-src')).toBe("'none'")
    expect(ELECTRON_CSP).not.toContain('unsafe')
  })

  it('lets the dev server run the React preamble, inject styles and open its hot-reload socket', () => {
    const csp = rendererCsp({ devServerOrigin: 'http://localhost:5173' })
    expect(csp).toBe(devServerCsp('http://localhost:5173'))
    expect(directive(csp, 'script-src')).toContain("'unsafe-inline'")
    expect(directive(csp, 'style-src')).toContain("'unsafe-inline'")
    expect(directive(csp, 'connect-src').split(' ')).toEqual([
      'http://localhost:5173',
      'ws://localhost:5173',
    ])
  })

  it('opens the dev policy to that dev server only, never to the network at large', () => {
    const csp = devServerCsp('http://127.0.0.1:5174/some/path')
    expect(csp).not.toMatch(/\*|https?:(?!\/\/127\.0\.0\.1:5174)/)
    expect(directive(csp, 'default-src')).toBe("'none'")
    expect(directive(csp, 'frame-ancestors')).toBe("'none'")
    expect(devServerCsp('https://dev.local:8443')).toContain('wss://dev.local:8443')
  })

  it('refuses a dev origin that is not http(s)', () => {
    expect(() => devServerCsp('file:///tmp/x')).toThrow(/http\(s\)/)
  })

  it('keeps the web host on its own origin for API calls', () => {
    expect(directive(WEB_HOST_CSP, 'connect-src')).toBe("'self'")
  })
})
