// Where one harness run spends its time, from its progress events: preflight, the exclusive
// checks one by one (the import rehearsal split into its creates and its page walks), the
// concurrent checks, cleanup, the final checks and building the report. Used by harness.bench.ts.
import { performance } from 'node:perf_hooks'
import type { HarnessProgressEvent } from '../src-shared/harness.ts'
import { runHarness } from '../src-main/harness/runner.ts'

export interface PhaseTimes {
  /** Phase name to [milliseconds, requests]. */
  phases: Map<string, [number, number]>
  totalMs: number
  outcome: string
}

export async function harnessPhases(baseUrl: string, token: string): Promise<PhaseTimes> {
  const events: Array<{ t: number; e: HarnessProgressEvent }> = []
  const t0 = performance.now()
  const report = await runHarness({
    baseUrl,
    token,
    profile: 'okta',
    onProgress: (e) => events.push({ t: performance.now(), e }),
  })
  const totalMs = performance.now() - t0
  const at = (pred: (e: HarnessProgressEvent) => boolean, last = false): number => {
    const list = events.filter((x) => pred(x.e))
    const hit = last ? list.at(-1) : list[0]
    if (!hit) throw new Error('harness-phases: an expected progress event is missing')
    return hit.t - t0
  }
  const exchangesOf = (pred: (checkId: string | undefined, method: string) => boolean): number =>
    report.exchanges.filter((x) => pred(x.checkId, x.request.method)).length
  const phases = new Map<string, [number, number]>()
  const add = (name: string, from: number, to: number, requests: number): void => {
    phases.set(name, [to - from, requests])
  }

  const preflightEnd = at((e) => e.type === 'exchange' && e.exchange.checkId === 'preflight')
  add('start of the run to the preflight answer', 0, preflightEnd, 1)
  let prev = preflightEnd
  const exclusive = ['pagination.pages', 'import.users', 'import.groups', 'import.items_per_page']
  for (const id of exclusive) {
    const end = at((e) => e.type === 'check.finished' && e.result.id === id)
    if (id === 'import.users') {
      // The rehearsal: its creates end with its last POST; the rest are the page walks.
      const lastPost = at(
        (e) => e.type === 'exchange' && e.exchange.checkId === id && e.exchange.method === 'POST',
        true,
      )
      add(
        'import rehearsal: creates',
        prev,
        lastPost,
        exchangesOf((c, m) => c === id && m === 'POST'),
      )
      add(
        'import rehearsal: page walks',
        lastPost,
        end,
        exchangesOf((c, m) => c === id && m === 'GET'),
      )
    } else {
      add(
        `exclusive check ${id}`,
        prev,
        end,
        exchangesOf((c) => c === id),
      )
    }
    prev = end
  }
  const cleanupStart = at((e) => e.type === 'cleanup.started')
  const cleanupEnd = at((e) => e.type === 'cleanup.finished')
  const grouped = new Set([...exclusive, 'preflight', 'cleanup'])
  const finals = [
    'transport.content_type',
    'transport.latency',
    'transport.rate_limit',
    'transport.server_errors',
  ]
  add(
    'concurrent checks',
    prev,
    cleanupStart,
    exchangesOf((c) => c !== undefined && !grouped.has(c) && !finals.includes(c)),
  )
  add(
    'cleanup',
    cleanupStart,
    cleanupEnd,
    exchangesOf((c) => c === 'cleanup'),
  )
  const lastCheck = at((e) => e.type === 'check.finished', true)
  add(
    'final checks',
    cleanupEnd,
    lastCheck,
    exchangesOf((c) => c !== undefined && finals.includes(c)),
  )
  add(
    'building the report',
    lastCheck,
    at((e) => e.type === 'run.finished'),
    0,
  )
  return { phases, totalMs, outcome: report.outcome }
}

export function printPhases(runs: PhaseTimes[]): void {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!
  for (const name of runs[0]!.phases.keys()) {
    const ms = median(runs.map((r) => r.phases.get(name)![0]))
    const requests = runs[0]!.phases.get(name)![1]
    console.log(
      `  ${name.padEnd(44)} ${ms.toFixed(0).padStart(5)} ms  ${String(requests).padStart(3)} requests`,
    )
  }
  const total = median(runs.map((r) => r.totalMs))
  console.log(
    `  ${'whole run (runHarness)'.padEnd(44)} ${total.toFixed(0).padStart(5)} ms  outcomes: ${[...new Set(runs.map((r) => r.outcome))].join(', ')}`,
  )
}
