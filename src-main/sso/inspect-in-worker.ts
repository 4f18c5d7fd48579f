/**
 * Pasted SAML is untrusted like metadata: it is decoded and validated in a worker thread with a
 * time and memory budget, so a hostile message can stall or bloat only that thread (the decoder's
 * own guards, no DTD, size and depth caps, deflate-bomb stop, come first). One short-lived worker
 * per inspection: the inspector is used by hand, and a fresh thread leaves nothing behind.
 *
 * Where the worker's code is: from the TypeScript sources (CLI, web host, tests) it is
 * `saml-worker.ts` beside this file; in the electron-vite bundle this module is inlined into
 * out/main/index.js and the worker is its own rollup input, `saml-worker.js` beside it
 * (electron.vite.config.ts, key SAML_WORKER_BUNDLE); in the built CLI it is `saml-worker.mjs`
 * beside this module's chunk in out/cli (vite.cli.config.ts, WORKERS).
 */
import { Worker } from 'node:worker_threads'
import type { SamlExpectations } from '../../src-domain/saml-response/index.ts'
import { AppError } from '../../src-shared/errors.ts'
import type { InspectionView } from './inspection-view.ts'

export const SAML_WORKER_BUNDLE = 'saml-worker'
export const DEFAULT_INSPECT_TIMEOUT_MS = 20_000
export const DEFAULT_INSPECT_MEMORY_MB = 256

/** What crosses to the worker: plain data (the expectations' callbacks are not used here). */
export interface SamlWorkerRequest {
  text: string
  expect: Omit<SamlExpectations, 'isPendingRequest' | 'acceptedBefore'>
}

export type SamlWorkerReply = { ok: true; view: InspectionView } | { ok: false; message: string }

function workerUrl(): URL {
  // A variable, not a literal: Vite would otherwise treat `new URL('…', import.meta.url)` as an
  // asset to copy into the bundle.
  const here = import.meta.url
  const file = here.endsWith('.ts')
    ? './saml-worker.ts'
    : `./${SAML_WORKER_BUNDLE}${here.endsWith('.mjs') ? '.mjs' : '.js'}`
  return new URL(file, here)
}

export function inspectSamlInWorker(
  request: SamlWorkerRequest,
  budget: { timeoutMs?: number; maxMemoryMb?: number } = {},
): Promise<InspectionView> {
  const timeoutMs = budget.timeoutMs ?? DEFAULT_INSPECT_TIMEOUT_MS
  const memoryMb = budget.maxMemoryMb ?? DEFAULT_INSPECT_MEMORY_MB
  const worker = new Worker(workerUrl(), {
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32 },
  })
  const tooComplex = (what: string): AppError =>
    new AppError(
      'saml.read_failed',
      `Inspecting this message took more than ${what}, so it was stopped.`,
      {
        hint: 'Paste only the SAMLResponse value (or the form body) of one captured sign-in; a real message is a few KB.',
      },
    )
  return new Promise<InspectionView>((resolve, reject) => {
    const done = (settle: () => void): void => {
      clearTimeout(timer)
      worker.removeAllListeners()
      void worker.terminate()
      settle()
    }
    const timer = setTimeout(
      () => done(() => reject(tooComplex(`${timeoutMs / 1000} s`))),
      timeoutMs,
    )
    worker.once('message', (reply: SamlWorkerReply) =>
      done(() =>
        reply.ok
          ? resolve(reply.view)
          : reject(new AppError('internal', `Inspecting the message failed: ${reply.message}`)),
      ),
    )
    worker.once('error', (err: Error & { code?: string }) =>
      done(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? tooComplex(`${memoryMb} MB of memory`)
            : new AppError('internal', `The SAML worker failed: ${err.message}`),
        ),
      ),
    )
    worker.once('exit', (code) =>
      done(() => reject(new AppError('internal', `The SAML worker stopped (exit code ${code}).`))),
    )
    worker.postMessage(request)
  })
}
