/**
 * Keeps a backend started by another process from outliving it. Node has no parent-death signal
 * (prctl PR_SET_PDEATHSIG), so the child watches two things the kernel changes when the parent
 * dies, however it dies (SIGKILL included):
 * - a pipe on stdin that the parent holds open and never writes: its end-of-file means the parent
 *   is gone (launchBackendProcess starts the child this way);
 * - its parent pid: an orphan is re-parented (to init or a subreaper), so a changed `ppid` means
 *   the same. Polled twice a second on an unref'd timer; covers parents that cannot hand over a
 *   pipe, such as Electron's utilityProcess.
 */

/** Set by a parent that wants the backend to stop with it; `backend serve` by hand ignores it. */
export const EXIT_WITH_PARENT_ENV = 'SCIM_CONSOLE_EXIT_WITH_PARENT'

export interface ParentWatchOptions {
  /** Watch stdin for end-of-file (the parent holds the other end). */
  stdin?: NodeJS.ReadableStream
  /** Poll the parent pid. */
  pollPpid?: boolean
  intervalMs?: number
  /** For tests: the process whose ppid is polled. */
  proc?: { readonly ppid: number }
}

/** Calls `onGone` once, when the parent is gone. Returns a function that stops watching. */
export function watchParent(onGone: () => void, opts: ParentWatchOptions): () => void {
  let fired = false
  const fire = (): void => {
    if (fired) return
    fired = true
    stop()
    onGone()
  }
  const cleanups: (() => void)[] = []
  const stdin = opts.stdin
  if (stdin) {
    stdin.on('end', fire)
    stdin.on('close', fire)
    // An error on the pipe is the parent's end going away as well.
    stdin.on('error', fire)
    stdin.resume()
    cleanups.push(() => {
      stdin.off('end', fire)
      stdin.off('close', fire)
      stdin.off('error', fire)
      stdin.pause()
    })
  }
  if (opts.pollPpid) {
    const proc = opts.proc ?? process
    const parent = proc.ppid
    // Started by init itself (a container entrypoint, a service): there is no parent to lose.
    if (parent > 1) {
      const timer = setInterval(() => {
        if (proc.ppid !== parent) fire()
      }, opts.intervalMs ?? 500)
      timer.unref()
      cleanups.push(() => clearInterval(timer))
    }
  }
  function stop(): void {
    for (const c of cleanups.splice(0)) c()
  }
  return stop
}
