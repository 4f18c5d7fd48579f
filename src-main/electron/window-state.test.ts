import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  DEFAULT_SIZE,
  MIN_SIZE,
  clampToArea,
  loadWindowState,
  parseWindowState,
  restoreBounds,
  saveWindowState,
  type DisplayArea,
} from './window-state.ts'

const dir = mkdtempSync(join(tmpdir(), 'window-state-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const laptop: DisplayArea = { workArea: { x: 0, y: 25, width: 1440, height: 875 } }
// A second monitor to the right of the laptop.
const monitor: DisplayArea = { workArea: { x: 1440, y: 0, width: 2560, height: 1440 } }

describe('saveWindowState / loadWindowState', () => {
  it('round-trips through a JSON file in the given folder, creating the folder', async () => {
    const path = join(dir, 'nested', 'window-state.json')
    const state = { bounds: { x: 10, y: 40, width: 1000, height: 700 }, maximized: true }
    saveWindowState(path, state)
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(state)
    expect(existsSync(`${path}.tmp`)).toBe(false)
    expect(await loadWindowState(path)).toEqual(state)
  })

  it('returns null without complaint when there is no file yet', async () => {
    const reasons: string[] = []
    expect(await loadWindowState(join(dir, 'none.json'), (r) => reasons.push(r))).toBeNull()
    expect(reasons).toEqual([])
  })

  it('refuses a truncated or hand-edited file and says why', async () => {
    const path = join(dir, 'bad.json')
    writeFileSync(path, '{"bounds":{"x":1,')
    const reasons: string[] = []
    expect(await loadWindowState(path, (r) => reasons.push(r))).toBeNull()
    expect(reasons).toEqual(['not JSON'])

    writeFileSync(path, JSON.stringify({ bounds: { x: 0, y: 0, width: -5, height: 'tall' } }))
    reasons.length = 0
    expect(await loadWindowState(path, (r) => reasons.push(r))).toBeNull()
    expect(reasons[0]).toContain('bounds.width')
    expect(reasons[0]).toContain('bounds.height')
    expect(reasons[0]).toContain('maximized')
  })

  it('refuses absurd numbers that would put the window light-years away', () => {
    expect(
      parseWindowState(
        JSON.stringify({ bounds: { x: 1e12, y: 0, width: 800, height: 600 }, maximized: false }),
      ),
    ).toBeNull()
    expect(
      parseWindowState(
        JSON.stringify({ bounds: { x: 0.5, y: 0, width: 800, height: 600 }, maximized: false }),
      ),
    ).toBeNull()
  })

  it('will not write an invalid state', () => {
    const path = join(dir, 'never.json')
    expect(() =>
      saveWindowState(path, { bounds: { x: 0, y: 0, width: 0, height: 600 }, maximized: false }),
    ).toThrow()
    expect(existsSync(path)).toBe(false)
  })
})

describe('restoreBounds', () => {
  it('centres the default size on the primary display the first time', () => {
    expect(restoreBounds(null, [laptop], laptop)).toEqual({
      bounds: { x: 120, y: 53, width: DEFAULT_SIZE.width, height: DEFAULT_SIZE.height },
      maximized: false,
    })
  })

  it('keeps a window that is fully visible exactly where it was, maximized or not', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 1300, height: 900 }, maximized: true }
    expect(restoreBounds(saved, [laptop, monitor], laptop)).toEqual(saved)
  })

  it('moves a window from an unplugged monitor onto the primary display and shrinks it', () => {
    const saved = { bounds: { x: 1600, y: 100, width: 2000, height: 1200 }, maximized: false }
    const restored = restoreBounds(saved, [laptop], laptop)
    expect(restored.bounds).toEqual({ x: 0, y: 25, width: 1440, height: 875 })
  })

  it('pulls a window hanging off an edge back onto the display it overlaps most', () => {
    const saved = { bounds: { x: 3800, y: -200, width: 1000, height: 800 }, maximized: false }
    expect(restoreBounds(saved, [laptop, monitor], laptop).bounds).toEqual({
      x: 3000,
      y: 0,
      width: 1000,
      height: 800,
    })
  })
})

describe('clampToArea', () => {
  it('grows a window below the minimum size back to it', () => {
    expect(clampToArea({ x: 100, y: 100, width: 200, height: 100 }, laptop.workArea)).toMatchObject(
      { width: MIN_SIZE.width, height: MIN_SIZE.height },
    )
  })

  it('never makes a window bigger than a display smaller than the minimum', () => {
    const tiny = { x: 0, y: 0, width: 800, height: 500 }
    expect(clampToArea({ x: 50, y: 50, width: 1200, height: 900 }, tiny)).toEqual(tiny)
  })
})
