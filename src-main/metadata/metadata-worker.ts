/**
 * The worker side of `parse-in-worker.ts`: parses IdP metadata (guard, scan, tree, signature
 * check) off the caller's event loop. One request at a time; the caller enforces the budget by
 * terminating this thread, so nothing here needs to watch the clock.
 */
import { parentPort } from 'node:worker_threads'
import { parseIdpMetadata } from '../../src-domain/saml-metadata/parse-idp-metadata.ts'
import type { WorkerReply, WorkerRequest } from './parse-in-worker.ts'

const port = parentPort
if (!port) throw new Error('metadata-worker.ts runs only as a worker thread')

port.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply
  try {
    reply = { id: req.id, ok: true, model: parseIdpMetadata(req.input, req.opts) }
  } catch (err) {
    reply = { id: req.id, ok: false, message: (err as Error)?.message ?? String(err) }
  }
  port.postMessage(reply)
})
