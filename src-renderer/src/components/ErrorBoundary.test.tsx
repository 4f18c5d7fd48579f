// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFakeApi, withFakeApi } from '../testing/fake-api.tsx'
import { ErrorBoundary } from './ErrorBoundary.tsx'

afterEach(cleanup)

let broken = true
function Flaky() {
  if (broken) throw new Error('tenant list was not an array')
  return <p data-testid="flaky-ok">Recovered</p>
}

describe('ErrorBoundary', () => {
  it('shows a crashed screen as a message with a retry, and reports it through app.reportError', async () => {
    // React logs caught render errors to the console; that noise is expected here.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    const fake = createFakeApi({ 'app.reportError': () => ({ logged: true }) })
    broken = true
    render(
      <ErrorBoundary screen="tokens" title="SCIM tokens">
        <Flaky />
      </ErrorBoundary>,
      { wrapper: withFakeApi(fake.api) },
    )

    const alert = await screen.findByRole('alert')
    expect(alert.textContent).toContain('The SCIM tokens screen stopped working.')
    expect(alert.textContent).toContain('tenant list was not an array')
    expect(fake.calls).toHaveLength(1)
    expect(fake.calls[0]).toMatchObject({
      channel: 'app.reportError',
      input: { message: 'tenant list was not an array', screen: 'tokens' },
    })
    expect((fake.calls[0]!.input as { stack?: string }).stack).toContain('Flaky')

    broken = false
    fireEvent.click(screen.getByTestId('screen-error-retry'))
    expect(screen.getByTestId('flaky-ok').textContent).toBe('Recovered')
    quiet.mockRestore()
  })

  it('still shows the message when main cannot take the report', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {})
    const fake = createFakeApi({}) // app.reportError unanswered: the call fails
    broken = true
    render(
      <ErrorBoundary screen="log" title="Provisioning log">
        <Flaky />
      </ErrorBoundary>,
      { wrapper: withFakeApi(fake.api) },
    )
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The Provisioning log screen stopped working.',
    )
    expect(fake.calls.map((c) => c.channel)).toEqual(['app.reportError'])
    quiet.mockRestore()
  })
})
