import { screen, type BrowserWindow } from 'electron'
import {
  loadWindowState,
  restoreBounds,
  saveWindowState,
  type WindowState,
} from './window-state.ts'

/** The state to open the main window with: the saved one, moved onto a display that exists now. */
export async function initialWindowState(
  path: string,
  onInvalid: (reason: string) => void,
): Promise<WindowState> {
  const saved = await loadWindowState(path, onInvalid)
  return restoreBounds(saved, screen.getAllDisplays(), screen.getPrimaryDisplay())
}

/**
 * Saves the window's normal (un-maximized) bounds and its maximized flag: after moves and resizes
 * settle, on (un)maximize, and when it closes.
 */
export function keepWindowState(
  win: BrowserWindow,
  path: string,
  onError: (err: unknown) => void,
): void {
  let timer: NodeJS.Timeout | undefined
  const save = (): void => {
    clearTimeout(timer)
    if (win.isDestroyed()) return
    try {
      saveWindowState(path, { bounds: win.getNormalBounds(), maximized: win.isMaximized() })
    } catch (err) {
      onError(err)
    }
  }
  const saveSoon = (): void => {
    clearTimeout(timer)
    timer = setTimeout(save, 500)
  }
  win.on('resize', saveSoon)
  win.on('move', saveSoon)
  win.on('maximize', save)
  win.on('unmaximize', save)
  win.on('close', save)
}
