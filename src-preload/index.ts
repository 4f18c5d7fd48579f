import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from './build-api.ts'

// The renderer gets exactly the contract: no ipcRenderer, no process, no generic send.
contextBridge.exposeInMainWorld(
  'api',
  buildApi(
    (channel, input) => ipcRenderer.invoke(channel, input),
    (event, listener) => {
      const wrapped = (_e: Electron.IpcRendererEvent, payload: unknown): void => listener(payload)
      ipcRenderer.on(event, wrapped)
      return () => ipcRenderer.removeListener(event, wrapped)
    },
  ),
)
