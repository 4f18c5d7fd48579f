import { describe, expect, it } from 'vitest'
import { isTrustedSender, originOf, senderInfoOf } from './sender-check.ts'

const allowed = { origins: ['app://renderer'], webContentsIds: new Set([1]) }

describe('isTrustedSender', () => {
  it('trusts our window top frame on our origin', () => {
    expect(
      isTrustedSender(
        { frameUrl: 'app://renderer/index.html', isTopFrame: true, webContentsId: 1 },
        allowed,
      ),
    ).toBe(true)
  })
  it('refuses an iframe, even on our origin', () => {
    expect(
      isTrustedSender(
        { frameUrl: 'app://renderer/x.html', isTopFrame: false, webContentsId: 1 },
        allowed,
      ),
    ).toBe(false)
  })
  it('refuses another origin, an unknown window and a vanished frame', () => {
    expect(
      isTrustedSender(
        { frameUrl: 'https://evil.example/', isTopFrame: true, webContentsId: 1 },
        allowed,
      ),
    ).toBe(false)
    expect(
      isTrustedSender(
        { frameUrl: 'app://renderer/index.html', isTopFrame: true, webContentsId: 2 },
        allowed,
      ),
    ).toBe(false)
    expect(isTrustedSender({ frameUrl: null, isTopFrame: true, webContentsId: 1 }, allowed)).toBe(
      false,
    )
    expect(isTrustedSender({ frameUrl: '::', isTopFrame: true, webContentsId: 1 }, allowed)).toBe(
      false,
    )
  })
})

describe('originOf', () => {
  it('gives scheme and host for custom schemes, where URL.origin says "null"', () => {
    expect(new URL('app://renderer/index.html').origin).toBe('null')
    expect(originOf('app://renderer/index.html')).toBe('app://renderer')
    expect(originOf('http://localhost:5173/x?y')).toBe('http://localhost:5173')
    expect(originOf('file:///etc/passwd')).toBe(null)
    expect(originOf('null')).toBe(null)
  })
})

describe('senderInfoOf (frame shapes as Electron reports them)', () => {
  const top = { url: 'app://renderer/index.html', parent: null, detached: false }
  it('takes an attached frame without a parent as the top frame, whatever its identity', () => {
    const info = senderInfoOf({ ...top }, 1)
    expect(info).toEqual({ frameUrl: top.url, isTopFrame: true, webContentsId: 1 })
    expect(isTrustedSender(info, allowed)).toBe(true)
  })
  it('refuses a child frame and a detached frame', () => {
    expect(senderInfoOf({ ...top, parent: top }, 1).isTopFrame).toBe(false)
    const detached = senderInfoOf({ ...top, detached: true }, 1)
    expect(detached.frameUrl).toBeNull()
    expect(isTrustedSender(detached, allowed)).toBe(false)
  })
  it('refuses a frame that is already gone', () => {
    expect(isTrustedSender(senderInfoOf(null, 1), allowed)).toBe(false)
    expect(isTrustedSender(senderInfoOf(undefined, 1), allowed)).toBe(false)
  })
})
