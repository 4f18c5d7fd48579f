import { utilityProcess } from 'electron'
import {
  EMBEDDED_BACKEND_SERVICE_NAME,
  startEmbeddedChild,
  type ChildHandle,
  type StartChildOptions,
} from '../../src-server/launcher/embedded-protocol.ts'
import type { StartEmbedded } from '../main-context.ts'

/**
 * Starts the embedded reference backend in an Electron utility process. Unlike a child spawned
 * with ELECTRON_RUN_AS_NODE this still works when the packaged app's RunAsNode fuse is off, and it
 * loads the bundled entry from inside the asar. `modulePath` is out/main/embedded-backend.js.
 */
export function utilityProcessLauncher(opts: {
  modulePath: string
  onLog?: StartChildOptions['onLog']
  onUnexpectedExit?: StartChildOptions['onUnexpectedExit']
}): StartEmbedded {
  return ({ dataDir, adminKey, onUnexpectedExit }) => {
    const child = utilityProcess.fork(opts.modulePath, [], {
      serviceName: EMBEDDED_BACKEND_SERVICE_NAME,
      // Piped so a crash's stderr can go into the error message; stdout is drained and dropped.
      stdio: 'pipe',
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer | string) => {
      if (stderr.length < 8192) stderr += String(chunk)
    })
    child.stdout?.resume()
    const handle: ChildHandle = {
      get pid() {
        return child.pid
      },
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void child.once('exit', listener),
      kill: () => void child.kill(),
    }
    return startEmbeddedChild(handle, {
      dataDir,
      adminKey,
      diagnostics: () => stderr,
      onLog: opts.onLog,
      onUnexpectedExit: (code, diagnostics) => {
        opts.onUnexpectedExit?.(code, diagnostics)
        onUnexpectedExit?.(code, diagnostics)
      },
    })
  }
}
