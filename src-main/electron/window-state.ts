import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { writeFileAtomicSync } from '../fs/atomic-write.ts'

/**
 * Where the main window was and whether it was maximized, kept as JSON in userData. Plain Node and
 * pure math, so it is tested without Electron; window-state-keeper.ts wires it to a BrowserWindow.
 */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  bounds: Rect
  maximized: boolean
}

/** The part of Electron's Display we need: the work area excludes taskbars and docks. */
export interface DisplayArea {
  workArea: Rect
}

const coordinate = z.number().int().min(-100_000).max(100_000)
const extent = z.number().int().min(1).max(100_000)

export const windowStateSchema = z.object({
  bounds: z.object({ x: coordinate, y: coordinate, width: extent, height: extent }),
  maximized: z.boolean(),
})

export const WINDOW_STATE_FILE = 'window-state.json'

/** The smallest window the layout works in; window-options.ts uses the same numbers. */
export const MIN_SIZE = { width: 880, height: 600 } as const
export const DEFAULT_SIZE = { width: 1200, height: 820 } as const

/**
 * Reads the saved state; null when there is none or it cannot be trusted (hand-edited, truncated
 * by a crash, written by another version). A bad file only costs the remembered position, so it
 * is reported through `onInvalid` rather than thrown.
 */
export async function loadWindowState(
  path: string,
  onInvalid: (reason: string) => void = () => {},
): Promise<WindowState | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onInvalid(`unreadable: ${String(err)}`)
    return null
  }
  return parseWindowState(text, onInvalid)
}

export function parseWindowState(
  text: string,
  onInvalid: (reason: string) => void = () => {},
): WindowState | null {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    onInvalid('not JSON')
    return null
  }
  const parsed = windowStateSchema.safeParse(json)
  if (!parsed.success) {
    onInvalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '))
    return null
  }
  return parsed.data
}

/**
 * Atomic, so a crash mid-write never leaves half a file. Synchronous on purpose: the last save happens as the window closes, and an async write could
 * be cut off by the app quitting right after. The file is under 100 bytes.
 */
export function saveWindowState(path: string, state: WindowState): void {
  const valid = windowStateSchema.parse(state)
  writeFileAtomicSync(path, `${JSON.stringify(valid)}\n`)
}

/**
 * The bounds to open the window with. A remembered window whose display was unplugged, or whose
 * resolution shrank, is pulled back onto the display it overlaps most (or the primary one) and
 * shrunk to fit; without a remembered state the default size is centred on the primary display.
 */
export function restoreBounds(
  saved: WindowState | null,
  displays: readonly DisplayArea[],
  primary: DisplayArea,
): WindowState {
  if (!saved) return { bounds: centred(DEFAULT_SIZE, primary.workArea), maximized: false }
  const target = bestDisplay(saved.bounds, displays) ?? primary
  return { bounds: clampToArea(saved.bounds, target.workArea), maximized: saved.maximized }
}

/** The display the window overlaps most; undefined when it is on none of them. */
function bestDisplay(bounds: Rect, displays: readonly DisplayArea[]): DisplayArea | undefined {
  let best: DisplayArea | undefined
  let bestArea = 0
  for (const d of displays) {
    const o = overlap(bounds, d.workArea)
    if (o.width * o.height > bestArea) {
      best = d
      bestArea = o.width * o.height
    }
  }
  return best
}

/**
 * Shrinks `bounds` to fit `area` (never below the minimum size unless the display itself is
 * smaller) and moves it fully inside, so the title bar can always be grabbed.
 */
export function clampToArea(bounds: Rect, area: Rect): Rect {
  const width = Math.min(Math.max(bounds.width, Math.min(MIN_SIZE.width, area.width)), area.width)
  const height = Math.min(
    Math.max(bounds.height, Math.min(MIN_SIZE.height, area.height)),
    area.height,
  )
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width)
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height)
  return { x, y, width, height }
}

function centred(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width)
  const height = Math.min(size.height, area.height)
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  }
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return { width: Math.max(0, width), height: Math.max(0, height) }
}
