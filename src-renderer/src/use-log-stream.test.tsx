// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { StreamNotice, StreamState } from '../../src-shared/provisioning-event.ts'
import { createFakeApi, withFakeApi } from './testing/fake-api.tsx'
import { useLogStream } from './use-log-stream.ts'

afterEach(cleanup)

const target = { connection: 'embedded', tenantId: 'demo' }
const live: StreamState = { state: 'live', since: '2026-12-07T09:00:00.000Z' }
const fakeMain = () =>
  createFakeApi({ 'log.open': () => ({ state: live, size: 10, capacity: 1_000_000 }) })

describe('useLogStream with a fake api', () => {
  it('opens the log, then follows log.event, log.state and log.notice into the query cache', async () => {
    const fake = fakeMain()
    const { result } = renderHook(() => useLogStream(target), { wrapper: withFakeApi(fake.api) })
    expect(result.current.loading).toBe(true)
    await waitFor(() => expect(result.current.loading).toBe(false))
    expect(result.current.size).toBe(10)
    expect(result.current.state).toEqual(live)
    const opened = result.current.generation

    act(() => fake.emit('log.event', { ...target, added: 2, newestSeq: 12, size: 12 }))
    await waitFor(() => expect(result.current.size).toBe(12))
    expect(result.current.generation).toBe(opened + 1)

    // Another tenant's events leave this one alone.
    act(() =>
      fake.emit('log.event', { ...target, tenantId: 'other', added: 1, newestSeq: 5, size: 99 }),
    )
    // (checked after the state change below has arrived, which comes later)

    act(() => fake.emit('log.state', { ...target, state: { state: 'paused' } }))
    await waitFor(() => expect(result.current.state).toEqual({ state: 'paused' }))
    expect(result.current.size).toBe(12)

    const notice: StreamNotice = {
      kind: 'stream.gap_filled',
      message: 'Recovered 2 events after a reconnect.',
      seqs: [11, 12],
      time: '2026-12-07T10:00:00.000Z',
    }
    act(() => fake.emit('log.notice', { ...target, notice }))
    await waitFor(() => expect(result.current.notices).toEqual([notice]))
  })

  it('keeps a notice that arrives while the first open still loads the history', async () => {
    let answer: (v: { state: StreamState; size: number; capacity: number }) => void = () => {}
    const fake = createFakeApi({ 'log.open': () => new Promise((resolve) => (answer = resolve)) })
    const { result } = renderHook(() => useLogStream(target), { wrapper: withFakeApi(fake.api) })
    const notice: StreamNotice = {
      kind: 'stream.malformed',
      message: 'Skipped one malformed event.',
      time: '2026-12-07T10:00:00.000Z',
    }
    act(() => fake.emit('log.notice', { ...target, notice }))
    expect(result.current.loading).toBe(true)
    await waitFor(() => expect(fake.calls.map((c) => c.channel)).toContain('log.open'))
    act(() => answer({ state: live, size: 3, capacity: 10 }))
    await waitFor(() => expect(result.current.loading).toBe(false))
    expect(result.current.notices).toEqual([notice])
    expect(result.current.size).toBe(3)
  })

  it('stops listening when unmounted', () => {
    const fake = fakeMain()
    const { unmount } = renderHook(() => useLogStream(target), { wrapper: withFakeApi(fake.api) })
    expect(fake.listenerCount('log.event')).toBe(1)
    unmount()
    expect(fake.listenerCount('log.event')).toBe(0)
  })
})
