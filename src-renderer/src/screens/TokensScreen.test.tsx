// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { createFakeApi, withFakeApi } from '../testing/fake-api.tsx'
import { TokensScreen } from './TokensScreen.tsx'

afterEach(cleanup)

const target = { connection: 'embedded', tenantId: 'demo' }
const scimBaseUrl = 'http://127.0.0.1:4100/scim/v2/t/demo'

function fakeMain() {
  const tokens = [
    {
      id: 'tok_1',
      label: 'Okta production',
      createdAt: '2026-12-01T10:00:00.000Z',
      lastUsedAt: '2026-12-07T09:30:00.000Z' as string | null,
      hashPrefix: 'ab12cd34',
      inKeychain: true,
      lastIdpRequestAt: null as string | null,
    },
  ]
  return createFakeApi({
    'connections.list': () => ({
      connections: [
        {
          name: 'embedded',
          adminBaseUrl: 'http://127.0.0.1:4100',
          embedded: true,
          adminKeyStored: true,
          defaultTenantId: 'demo',
        },
      ],
      defaultConnection: 'embedded',
      secretStore: { kind: 'keychain', memoryOnly: false },
    }),
    'connections.test': () => ({
      adminBaseUrl: 'http://127.0.0.1:4100',
      backendVersion: '0.1.0',
      tenants: [{ id: 'demo', name: 'Demo', createdAt: '2026-12-01T09:00:00.000Z', scimBaseUrl }],
    }),
    'tokens.list': () => ({
      tenantId: 'demo',
      scimBaseUrl,
      tokens,
      idpWindow: { window: 100, complete: true },
      revoked: [],
      orphanedKeychainEntries: 0,
    }),
    'tokens.create': ({ label }) => {
      const made = {
        id: 'tok_2',
        label,
        createdAt: '2026-12-07T10:00:00.000Z',
        hashPrefix: 'ef56ab78',
      }
      tokens.push({ ...made, lastUsedAt: null, inKeychain: true, lastIdpRequestAt: null })
      return { ...made, secret: 'scimc_fake_secret_for_the_test' }
    },
  })
}

describe('TokensScreen with a fake api', () => {
  it('lists the tenant’s tokens from tokens.list', async () => {
    const fake = fakeMain()
    render(<TokensScreen />, { wrapper: withFakeApi(fake.api) })

    const row = await screen.findByTestId('token-row')
    expect(row.getAttribute('data-label')).toBe('Okta production')
    expect(screen.getByTestId('tokens-scim-base-url').textContent).toBe(scimBaseUrl)
    expect(fake.calls.find((c) => c.channel === 'tokens.list')?.input).toEqual(target)
    // Used by a test run only: "Last used" has a time, the IdP column says it never used it.
    expect(within(row).getByTestId('token-last-used').textContent).not.toContain('Never')
    expect(within(row).getByTestId('token-idp-use').textContent).toBe('Never')
  })

  it('generates a token, shows its secret once, and hides it on Done', async () => {
    const fake = fakeMain()
    render(<TokensScreen />, { wrapper: withFakeApi(fake.api) })
    await screen.findByTestId('token-row')

    const button = screen.getByTestId('token-generate') as HTMLButtonElement
    expect(button.disabled).toBe(true) // no label yet
    fireEvent.change(screen.getByTestId('token-label'), { target: { value: 'Okta staging' } })
    fireEvent.click(button)

    const panel = await screen.findByTestId('new-token')
    expect(within(panel).getByTestId('new-token-secret').textContent).toBe(
      'scimc_fake_secret_for_the_test',
    )
    expect(panel.textContent).toContain('New SCIM token: Okta staging')
    expect(fake.calls.find((c) => c.channel === 'tokens.create')?.input).toEqual({
      ...target,
      label: 'Okta staging',
    })
    // The list is read again after the create: the new token shows up as a row.
    expect((await screen.findAllByTestId('token-row')).length).toBe(2)

    fireEvent.click(screen.getByTestId('new-token-done'))
    expect(screen.queryByTestId('new-token')).toBeNull()
    expect(screen.queryByText('scimc_fake_secret_for_the_test')).toBeNull()
  })
})
