// The embedded reference backend's own process: the second main-process bundle
// (out/main/embedded-backend.js), started by the console with Electron's utilityProcess.fork (which
// works with the RunAsNode fuse off) or, under plain Node, child_process.fork. The protocol lives in
// embedded-backend-protocol.ts; this file only wires it to the real server and process.
import { startServer } from '../server.ts'
import { connectToParent, serveEmbeddedBackend } from './embedded-protocol.ts'

let channel
try {
  channel = connectToParent(process as Parameters<typeof connectToParent>[0])
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`)
  process.exit(2)
}
serveEmbeddedBackend(channel, { start: startServer, exit: (code) => process.exit(code) })
