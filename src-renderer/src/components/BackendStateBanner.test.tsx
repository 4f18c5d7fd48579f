// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { createFakeApi, withFakeApi } from '../testing/fake-api.tsx'
import { BackendStateBanner } from './BackendStateBanner.tsx'

afterEach(cleanup)

describe('BackendStateBanner with a fake api', () => {
  it('shows nothing while the backend runs as started, then follows crashes and restarts', async () => {
    const fake = createFakeApi({ 'app.backendState': () => ({ state: 'running', restarts: 0 }) })
    const Wrapper = withFakeApi(fake.api)
    render(
      <Wrapper>
        <BackendStateBanner />
      </Wrapper>,
    )
    await waitFor(() => expect(fake.calls.map((c) => c.channel)).toContain('app.backendState'))
    expect(screen.queryByTestId('backend-state-banner')).toBeNull()

    act(() =>
      fake.emit('app.backendChanged', {
        state: 'restarting',
        restarts: 1,
        reason: 'the embedded backend exited unexpectedly (code none)',
        retryInMs: 250,
      }),
    )
    await waitFor(() =>
      expect(screen.getByTestId('backend-state-banner').textContent).toMatch(/being restarted/),
    )

    act(() => fake.emit('app.backendChanged', { state: 'running', restarts: 1 }))
    await waitFor(() =>
      expect(screen.getByTestId('backend-state-banner').textContent).toMatch(
        /restarted after a crash; its data is kept/,
      ),
    )

    act(() =>
      fake.emit('app.backendChanged', {
        state: 'failed',
        restarts: 3,
        reason: 'the embedded backend exited unexpectedly (code 1): disk full',
      }),
    )
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/kept crashing/))
    expect(screen.getByRole('alert').textContent).toMatch(/disk full/)
  })
})
