import { describe, expect, it } from 'vitest'
import type { CheckResult, HarnessProgressEvent } from '../../../src-shared/harness.ts'
import {
  emptyProgress,
  groupByArea,
  percentDone,
  prettyBody,
  reduceProgress,
  type RunProgress,
} from './harness-progress.ts'

function result(id: string, area: CheckResult['area'], status: CheckResult['status']): CheckResult {
  return {
    id,
    title: id,
    area,
    spec: 'RFC 7644',
    protects: '',
    severity: 'fail',
    status,
    message: '',
    notes: [],
    exchangeIds: [],
    durationMs: 1,
  }
}

const play = (events: HarnessProgressEvent[]): RunProgress =>
  events.reduce(reduceProgress, emptyProgress)

describe('harness progress', () => {
  const started: HarnessProgressEvent = {
    type: 'run.started',
    runId: 'r',
    profile: 'okta',
    checks: [
      { id: 'auth.a', title: 'A', area: 'auth' },
      { id: 'users.b', title: 'B', area: 'users' },
    ],
  }

  it('tracks the current check, the count and the percentage', () => {
    let p = play([started, { type: 'check.started', id: 'auth.a' }])
    expect(p.running).toEqual(['auth.a'])
    expect(p.titles['auth.a']).toBe('A')
    expect(percentDone(p)).toBe(0)
    p = reduceProgress(p, {
      type: 'check.finished',
      result: result('auth.a', 'auth', 'pass'),
      done: 1,
      total: 2,
    })
    expect(p.running).toEqual([])
    expect(p.done).toBe(1)
    expect(percentDone(p)).toBe(50)
    p = reduceProgress(p, { type: 'cleanup.started', resources: 3 })
    expect(p.phase).toBe('cleanup')
    expect(percentDone(p)).toBe(50)
    const summary = { total: 2, pass: 2, fail: 0, warn: 0, info: 0, skip: 0, error: 0 }
    p = reduceProgress(p, { type: 'run.finished', outcome: 'passed', summary })
    expect(p).toMatchObject({ phase: 'finished', outcome: 'passed', summary })
    expect(percentDone(p)).toBe(100)
  })

  it('groups by area in the harness order with failures first and counts', () => {
    const groups = groupByArea([
      result('users.z', 'users', 'pass'),
      result('users.y', 'users', 'fail'),
      result('auth.x', 'auth', 'warn'),
    ])
    expect(groups.map((g) => g.area)).toEqual(['auth', 'users'])
    expect(groups[1]!.checks.map((c) => c.id)).toEqual(['users.y', 'users.z'])
    expect(groups[1]!.counts).toMatchObject({ pass: 1, fail: 1, warn: 0 })
  })

  it('indents JSON bodies and leaves other text alone', () => {
    expect(prettyBody('{"a":1}')).toBe('{\n  "a": 1\n}')
    expect(prettyBody('<html>')).toBe('<html>')
    expect(prettyBody(undefined)).toBe('')
  })
})
