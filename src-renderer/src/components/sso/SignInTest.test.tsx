// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { OnboardingStatus, SignInResult } from '../../../../src-shared/channels/onboarding.ts'
import { createFakeApi, withFakeApi } from '../../testing/fake-api.tsx'
import { SignInTest } from './SignInTest.tsx'

afterEach(cleanup)

const loginUrl = 'http://127.0.0.1:4100/sso/demo/saml/login'

function status(sso: Partial<OnboardingStatus['sso']> = {}): OnboardingStatus {
  return {
    connection: 'embedded',
    tenantId: 'demo',
    sso: {
      configured: true,
      entityId: 'http://www.okta.com/x',
      copiedAt: '2026-12-07T10:00:00Z',
      signInTest: null,
      signInSkipped: null,
      ...sso,
    },
  } as OnboardingStatus
}

const success: SignInResult = {
  seq: 4,
  time: '2026-12-07T10:01:00Z',
  outcome: 'success',
  reason: null,
  message: 'Signed in',
  hint: null,
  userName: 'ada@example.com',
  nameId: 'ada@example.com',
  attributes: [{ name: 'FirstName', values: ['Ada'] }],
  scimUser: { id: 'u1', userName: 'ada@example.com', active: true },
  explanation: null,
}

describe('SignInTest', () => {
  it('starts the test, opens the tenant’s login URL and keeps the step open', async () => {
    const pins: boolean[] = []
    const fake = createFakeApi({
      'onboarding.startSignInTest': () => ({ loginUrl, startedAt: '2026-12-07T10:00:30Z' }),
      'sso.openLogin': () => ({ opened: true }),
    })
    render(<SignInTest status={status()} disabled={false} onPin={(p) => pins.push(p)} />, {
      wrapper: withFakeApi(fake.api),
    })
    fireEvent.click(screen.getByRole('button', { name: 'Test sign-in' }))
    await waitFor(() =>
      expect(fake.calls.map((c) => c.channel)).toEqual([
        'onboarding.startSignInTest',
        'sso.openLogin',
      ]),
    )
    expect(fake.calls[1]!.input).toEqual({
      connection: 'embedded',
      tenantId: 'demo',
      url: loginUrl,
    })
    expect(pins).toEqual([true])
    expect(await screen.findByRole('link', { name: /Open the sign-in page/ })).toHaveProperty(
      'href',
      loginUrl,
    )
  })

  it('shows who signed in, their attributes and SCIM status, and hides the skip', () => {
    const fake = createFakeApi({})
    render(
      <SignInTest
        status={status({
          signInTest: { startedAt: '2026-12-07T10:00:30Z', afterSeq: 3, result: success },
        })}
        disabled={false}
      />,
      { wrapper: withFakeApi(fake.api) },
    )
    expect(screen.getByTestId('sso-signin-user').textContent).toBe('Signed in as ada@example.com')
    expect(screen.getByTestId('sso-signin-scim').textContent).toContain('Provisioned by SCIM')
    expect(
      screen.getByRole('table', { name: 'Attributes in the assertion' }).textContent,
    ).toContain('FirstName')
    expect(screen.queryByTestId('sso-signin-skip')).toBeNull()
    expect(screen.queryByTestId('sso-signin-waiting')).toBeNull()
  })

  it('records a skip only with a reason', async () => {
    const fake = createFakeApi({ 'onboarding.skipSignInTest': () => status() })
    render(<SignInTest status={status()} disabled={false} />, { wrapper: withFakeApi(fake.api) })
    const skip = screen.getByRole('button', { name: 'Skip for now' })
    expect(skip).toHaveProperty('disabled', true)
    fireEvent.change(screen.getByLabelText(/skip the test for now/), {
      target: { value: 'no Okta test user yet' },
    })
    fireEvent.click(skip)
    await waitFor(() => expect(fake.calls).toHaveLength(1))
    expect(fake.calls[0]).toEqual({
      channel: 'onboarding.skipSignInTest',
      input: { connection: 'embedded', tenantId: 'demo', reason: 'no Okta test user yet' },
    })
  })
})
