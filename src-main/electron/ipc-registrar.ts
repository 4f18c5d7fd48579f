import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { channels, type EventName } from '../../src-shared/contract.ts'
import type { RendererEvents } from '../renderer-events.ts'
import type { Dispatch } from '../dispatcher.ts'
import { isTrustedSender, senderInfoOf, type SenderInfo } from './sender-check.ts'

/**
 * The only file that imports ipcMain. Every contract channel is registered here through the shared
 * dispatcher (validation, envelope, logging); there is no free-form channel.
 */
export function registerIpc(opts: {
  dispatch: Dispatch
  hub: RendererEvents
  origins: readonly string[]
  /** Our windows' webContents; messages from any other are refused. */
  trusted: () => readonly WebContents[]
}): () => void {
  const senderInfo = (event: IpcMainInvokeEvent): SenderInfo =>
    senderInfoOf(event.senderFrame, event.sender.id)
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => {
      const ids = new Set(opts.trusted().map((wc) => wc.id))
      if (!isTrustedSender(senderInfo(event), { origins: opts.origins, webContentsIds: ids })) {
        return {
          ok: false,
          error: { code: 'ipc.forbidden', message: 'This frame may not call scim-console.' },
        }
      }
      return opts.dispatch(channel, input)
    })
  }
  const unsubscribe = opts.hub.subscribe((event: EventName, payload: unknown) => {
    for (const wc of opts.trusted()) if (!wc.isDestroyed()) wc.send(event, payload)
  })
  return () => {
    unsubscribe()
    for (const channel of channels) ipcMain.removeHandler(channel)
  }
}
