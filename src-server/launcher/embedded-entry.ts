// The embedded reference backend's own process: the second main-process bundle
// (out/main/embedded-backend.js), started by the console with Electron's utilityProcess.fork (which
// works with the RunAsNode fuse off) or, under plain Node, child_process.fork. The protocol lives in
// embedded-protocol.ts; this file only wires it to the real server and process.
import { connectToParent, serveEmbeddedBackend } from './embedded-protocol.ts'
import { missingSqliteReason } from './runtime-check.ts'

let channel
try {
  channel = connectToParent(process as Parameters<typeof connectToParent>[0])
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`)
  process.exit(2)
}
serveEmbeddedBackend(channel, {
  // Loaded only once the runtime is known to have node:sqlite, so a runtime without it answers
  // `failed` with the cause instead of crashing on import.
  start: async (opts) => {
    const missing = missingSqliteReason()
    if (missing) throw new Error(missing)
    const { startServer } = await import('../server.ts')
    return startServer(opts)
  },
  exit: (code) => process.exit(code),
})
