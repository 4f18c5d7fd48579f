import {
  checkAreas,
  type CheckArea,
  type CheckResult,
  type CheckStatus,
  type HarnessProgressEvent,
  type HarnessSummary,
  type RunOutcome,
} from '../../../src-shared/harness.ts'

/** What the Conformance screen knows about a run from the `harness.progress` stream alone. */
export interface RunProgress {
  phase: 'starting' | 'checks' | 'cleanup' | 'finished'
  total: number
  done: number
  titles: Record<string, string>
  /** The checks started and not yet finished, oldest first: the first is "the current check". */
  running: string[]
  results: CheckResult[]
  exchanges: number
  cleanupResources: number
  outcome: RunOutcome | null
  summary: HarnessSummary | null
}

export const emptyProgress: RunProgress = {
  phase: 'starting',
  total: 0,
  done: 0,
  titles: {},
  running: [],
  results: [],
  exchanges: 0,
  cleanupResources: 0,
  outcome: null,
  summary: null,
}

/** Pure, so the cache update the event listener does is tested without a browser. */
export function reduceProgress(state: RunProgress, event: HarnessProgressEvent): RunProgress {
  switch (event.type) {
    case 'run.started':
      return {
        ...state,
        phase: 'checks',
        total: event.checks.length,
        titles: Object.fromEntries(event.checks.map((c) => [c.id, c.title])),
      }
    case 'check.started':
      return { ...state, running: [...state.running.filter((id) => id !== event.id), event.id] }
    case 'check.finished':
      return {
        ...state,
        done: Math.max(state.done, event.done),
        total: event.total,
        running: state.running.filter((id) => id !== event.result.id),
        results: [...state.results.filter((r) => r.id !== event.result.id), event.result],
      }
    case 'exchange':
      return { ...state, exchanges: state.exchanges + 1 }
    case 'cleanup.started':
      return { ...state, phase: 'cleanup', running: [], cleanupResources: event.resources }
    case 'cleanup.finished':
      return state
    case 'run.finished':
      return {
        ...state,
        phase: 'finished',
        running: [],
        outcome: event.outcome,
        summary: event.summary,
      }
  }
}

/** 0..100 for the progress bar; cleanup shows as the last stretch, not as done. */
export function percentDone(p: RunProgress): number {
  if (p.phase === 'finished') return 100
  if (p.total === 0) return 0
  return Math.min(99, Math.round((p.done / p.total) * 100))
}

export type StatusCounts = Record<CheckStatus, number>

export interface AreaGroup {
  area: CheckArea
  checks: CheckResult[]
  counts: StatusCounts
}

const statusOrder: Record<CheckStatus, number> = {
  fail: 0,
  error: 1,
  warn: 2,
  info: 3,
  pass: 4,
  skip: 5,
}

export function countStatuses(checks: readonly CheckResult[]): StatusCounts {
  const counts: StatusCounts = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 }
  for (const c of checks) counts[c.status] += 1
  return counts
}

/** Results by area in the harness's area order; within an area, what needs fixing first. */
export function groupByArea(checks: readonly CheckResult[]): AreaGroup[] {
  return checkAreas
    .map((area) => {
      const inArea = checks
        .filter((c) => c.area === area)
        .sort((a, b) => statusOrder[a.status] - statusOrder[b.status] || a.id.localeCompare(b.id))
      return { area, checks: inArea, counts: countStatuses(inArea) }
    })
    .filter((g) => g.checks.length > 0)
}

/** JSON bodies indented for reading; anything else as it came. */
export function prettyBody(body: string | undefined): string {
  if (!body) return ''
  try {
    return JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    return body
  }
}

export const areaLabels: Record<CheckArea, string> = {
  auth: 'Authentication',
  discovery: 'Discovery',
  users: 'Users',
  filters: 'Filters',
  pagination: 'Pagination',
  patch: 'PATCH',
  groups: 'Groups',
  errors: 'Error format',
  transport: 'Transport',
}
