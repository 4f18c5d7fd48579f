import { Worker } from 'node:worker_threads'

/**
 * Copies committed WAL pages back into the database file from a worker thread, so that the
 * request path rarely pays for it. SQLite's automatic checkpoint runs inside the COMMIT that
 * crosses `wal_autocheckpoint`: that request (and every request queued behind it on the one
 * event loop) waits for thousands of page writes and two fsyncs, the backend's worst latencies.
 *
 * The worker has a connection of its own and runs a PASSIVE checkpoint (it never blocks a writer
 * and never waits for one) whenever requests have committed since its last one. The server's
 * connection keeps its automatic checkpoint: it then finds the pages already copied and only has
 * to restart the log, and it still bounds the WAL if the worker falls behind or cannot run.
 * Durability is unchanged: a commit is acknowledged once it is in the WAL, as before.
 */

// Plain JavaScript evaluated in the worker: no file to bundle for the CLI or the Electron app.
const WORKER_SOURCE = `
const { parentPort, workerData } = process.getBuiltinModule('node:worker_threads')
const { DatabaseSync } = process.getBuiltinModule('node:sqlite')
const commits = new Int32Array(workerData.commits)
let db
let seen = 0
let timer
try {
  db = new DatabaseSync(workerData.file)
  db.exec('PRAGMA synchronous = NORMAL')
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
  timer = setInterval(() => {
    const now = Atomics.load(commits, 0)
    if (now === seen) return
    seen = now
    try {
      checkpoint.get()
    } catch (err) {
      parentPort.postMessage({ error: String(err && err.message) })
    }
  }, workerData.intervalMs)
} catch (err) {
  parentPort.postMessage({ error: String(err && err.message) })
}
parentPort.on('message', () => {
  clearInterval(timer)
  try {
    db?.close()
  } finally {
    parentPort.postMessage({ stopped: true })
  }
})
`

export interface WalCheckpointer {
  /** Call after each commit: tells the worker there is something to copy. */
  committed(): void
  /** Closes the worker's connection and ends it; call before closing the server's connection. */
  stop(): Promise<void>
}

export function startWalCheckpointer(
  file: string,
  log: (entry: Record<string, unknown>) => void,
  intervalMs = 200,
): WalCheckpointer {
  const commits = new Int32Array(new SharedArrayBuffer(4))
  let worker: Worker
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, commits: commits.buffer, intervalMs },
    })
  } catch (err) {
    // A runtime without worker threads: the server connection's own checkpoint does it all.
    log({ level: 'warn', msg: 'no WAL checkpoint worker', error: String((err as Error).message) })
    return { committed: () => {}, stop: () => Promise.resolve() }
  }
  // Never what keeps the process alive.
  worker.unref()
  let reported = false
  let ended = false
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  void exited.then(() => (ended = true))
  worker.on('error', (err) => {
    log({ level: 'warn', msg: 'WAL checkpoint worker failed', error: String(err.message) })
  })
  worker.on('message', (m: { error?: string }) => {
    // Once is enough: the server's own automatic checkpoint keeps the WAL bounded meanwhile.
    if (m.error !== undefined && !reported) {
      reported = true
      log({ level: 'warn', msg: 'background WAL checkpoint failed', error: m.error })
    }
  })
  return {
    committed: () => void Atomics.add(commits, 0, 1),
    async stop() {
      if (ended) return
      worker.postMessage('stop')
      const stopped = new Promise<void>((resolve) =>
        worker.on('message', (m: { stopped?: boolean }) => m.stopped && resolve()),
      )
      await Promise.race([stopped, exited])
      await worker.terminate()
    },
  }
}
