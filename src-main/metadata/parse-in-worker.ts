/**
 * Untrusted metadata is parsed in a worker thread with a time and a memory budget, so that a
 * hostile document can stall or bloat only that thread: the CLI, the web host and Electron's main
 * process stay responsive, and over budget the thread is terminated and the answer is a
 * `metadata.too_complex` finding with a hint.
 *
 * One worker is kept for reuse (loading the XML and crypto libraries is most of a small parse)
 * and requests queue behind each other; it does not keep the process alive when idle.
 *
 * Where the worker's code is: from the TypeScript sources (CLI, web host, tests: Node strips the
 * types) it is `metadata-worker.ts` beside this file; in the electron-vite bundle this module is
 * inlined into out/main/index.js and the worker is its own rollup input, `metadata-worker.js`
 * beside it (electron.vite.config.ts, key METADATA_WORKER_BUNDLE); in the built CLI it is
 * `metadata-worker.mjs` beside this module's chunk in out/cli (vite.cli.config.ts, WORKERS).
 */
import { Worker } from 'node:worker_threads'
import { AppError } from '../../src-shared/errors.ts'
import type { IdpMetadata } from '../../src-shared/metadata.ts'
import { refusal } from '../../src-domain/saml-metadata/findings.ts'
import {
  refusedMetadata,
  type ParseOptions,
} from '../../src-domain/saml-metadata/idp-metadata-model.ts'

export const METADATA_WORKER_BUNDLE = 'metadata-worker'

export interface WorkerBudget {
  /** Wall time for one parse, including waiting for a fresh worker to start. */
  timeoutMs?: number
  /** V8 old-generation heap of the worker (`resourceLimits.maxOldGenerationSizeMb`). */
  maxMemoryMb?: number
}

export const DEFAULT_PARSE_TIMEOUT_MS = 20_000
export const DEFAULT_PARSE_MEMORY_MB = 512

export interface WorkerRequest {
  id: number
  input: string | Uint8Array
  opts: ParseOptions
}

export type WorkerReply =
  { id: number; ok: true; model: IdpMetadata } | { id: number; ok: false; message: string }

interface Slot {
  worker: Worker
  memoryMb: number
}

let slot: Slot | undefined
let queue: Promise<unknown> = Promise.resolve()
let nextId = 1

function workerUrl(): URL {
  // A variable, not a literal: Vite would otherwise treat `new URL('…', import.meta.url)` as an
  // asset to copy into the bundle.
  const here = import.meta.url
  const file = here.endsWith('.ts')
    ? './metadata-worker.ts'
    : `./${METADATA_WORKER_BUNDLE}${here.endsWith('.mjs') ? '.mjs' : '.js'}`
  return new URL(file, import.meta.url)
}

function startWorker(memoryMb: number): Slot {
  const worker = new Worker(workerUrl(), {
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 32 },
    // A worker inherits the parent's Node flags; `--input-type` (a parent run with `node -e`)
    // only applies to string input and makes a file-backed worker fail to start.
    execArgv: process.execArgv.filter((a) => !a.startsWith('--input-type')),
  })
  worker.unref()
  return { worker, memoryMb }
}

function stopWorker(s: Slot): void {
  if (slot === s) slot = undefined
  void s.worker.terminate()
}

/** Stops the idle worker (tests, shutdown); the next parse starts a new one. */
export async function stopMetadataWorker(): Promise<void> {
  const s = slot
  slot = undefined
  if (s) await s.worker.terminate()
}

/**
 * `parseIdpMetadata` in the worker. Resolves to the model, or to a refused model with
 * `metadata.too_complex` when the budget runs out; rejects only if the worker itself fails
 * (`internal`).
 */
export function parseIdpMetadataInWorker(
  input: string | Uint8Array,
  opts: ParseOptions,
  budget: WorkerBudget = {},
): Promise<IdpMetadata> {
  const run = queue.then(() => runOne(input, opts, budget))
  queue = run.catch(() => undefined)
  return run
}

function runOne(
  input: string | Uint8Array,
  opts: ParseOptions,
  budget: WorkerBudget,
): Promise<IdpMetadata> {
  const timeoutMs = budget.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS
  const memoryMb = budget.maxMemoryMb ?? DEFAULT_PARSE_MEMORY_MB
  if (slot && slot.memoryMb !== memoryMb) stopWorker(slot)
  const s = (slot ??= startWorker(memoryMb))
  const id = nextId++
  const sizeBytes = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength
  const refused = (reason: 'time_budget' | 'memory_budget', limit: number): IdpMetadata =>
    refusedMetadata(opts.source, sizeBytes, refusal.tooComplex(reason, limit))

  return new Promise<IdpMetadata>((resolve, reject) => {
    const settle = (): void => {
      clearTimeout(timer)
      s.worker.off('message', onMessage)
      s.worker.off('error', onError)
      s.worker.off('exit', onExit)
      s.worker.unref()
    }
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== id) return
      settle()
      if (reply.ok) resolve(reply.model)
      else reject(new AppError('internal', `Reading the metadata failed: ${reply.message}`))
    }
    const onError = (err: Error & { code?: string }): void => {
      settle()
      stopWorker(s)
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') resolve(refused('memory_budget', memoryMb))
      else reject(new AppError('internal', `The metadata worker failed: ${err.message}`))
    }
    const onExit = (code: number): void => {
      settle()
      if (slot === s) slot = undefined
      reject(new AppError('internal', `The metadata worker stopped (exit code ${code}).`))
    }
    const timer = setTimeout(() => {
      settle()
      stopWorker(s)
      resolve(refused('time_budget', timeoutMs))
    }, timeoutMs)
    s.worker.on('message', onMessage)
    s.worker.on('error', onError)
    s.worker.on('exit', onExit)
    // Keeps the process alive while a parse is pending (the CLI awaits nothing else).
    s.worker.ref()
    // Bytes are copied once into a buffer the worker then owns, instead of being cloned.
    const request: WorkerRequest = { id, input, opts }
    if (typeof input === 'string') {
      s.worker.postMessage(request)
    } else {
      const own = new Uint8Array(input)
      s.worker.postMessage({ ...request, input: own }, [own.buffer])
    }
  })
}
