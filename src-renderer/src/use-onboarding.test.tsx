// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { EventPayload } from '../../src-shared/contract.ts'
import { createFakeApi, withFakeApi } from './testing/fake-api.tsx'
import { useTestProgress } from './use-onboarding.ts'

afterEach(cleanup)

/** A check.finished event; the hook reads only its counts, so the check's result is left out. */
const finished = (done: number, total: number) =>
  ({ type: 'check.finished', done, total }) as EventPayload<'harness.progress'>['event']

describe('useTestProgress with a fake api', () => {
  it('counts the checks of its run from harness.progress events, and ignores other runs', async () => {
    const fake = createFakeApi({})
    const { result } = renderHook(() => useTestProgress('run-1'), {
      wrapper: withFakeApi(fake.api),
    })
    expect(result.current).toEqual({ done: 0, total: 0 })

    act(() =>
      fake.emit('harness.progress', {
        runId: 'run-1',
        event: finished(3, 41),
      }),
    )
    await waitFor(() => expect(result.current).toEqual({ done: 3, total: 41 }))

    act(() =>
      fake.emit('harness.progress', {
        runId: 'run-2',
        event: finished(40, 41),
      }),
    )
    act(() =>
      fake.emit('harness.progress', {
        runId: 'run-1',
        event: finished(4, 41),
      }),
    )
    await waitFor(() => expect(result.current).toEqual({ done: 4, total: 41 }))
  })
})
