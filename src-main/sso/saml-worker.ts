/**
 * The worker side of `inspect-in-worker.ts`: decodes and validates one pasted SAML message off
 * the caller's event loop. The caller enforces the time and memory budget by terminating this
 * thread, so nothing here watches the clock.
 */
import { parentPort } from 'node:worker_threads'
import { inspectSamlMessage } from '../../src-domain/saml-response/index.ts'
import type { SamlWorkerReply, SamlWorkerRequest } from './inspect-in-worker.ts'
import { inspectionView } from './inspection-view.ts'

const port = parentPort
if (!port) throw new Error('saml-worker.ts runs only as a worker thread')

port.on('message', (req: SamlWorkerRequest) => {
  let reply: SamlWorkerReply
  try {
    reply = { ok: true, view: inspectionView(inspectSamlMessage(req.text, req.expect)) }
  } catch (err) {
    reply = { ok: false, message: (err as Error)?.message ?? String(err) }
  }
  port.postMessage(reply)
})
