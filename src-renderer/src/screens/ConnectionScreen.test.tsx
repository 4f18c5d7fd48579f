// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelOutput } from '../../../src-shared/contract.ts'
import { createFakeApi, withFakeApi } from '../testing/fake-api.tsx'
import { useLogUi } from '../use-log-ui.ts'
import { useUiStore } from '../use-ui-store.ts'
import { ConnectionScreen } from './ConnectionScreen.tsx'

afterEach(cleanup)

const scimBaseUrl = 'http://127.0.0.1:4100/scim/v2/t/demo'
type Overview = ChannelOutput<'connections.overview'>
type Recent = Overview['recentEvents'][number]

function event(seq: number, over: Partial<Recent>): Recent {
  return {
    seq,
    time: `2026-12-07T10:00:0${seq}.000Z`,
    method: 'GET',
    path: '/Users',
    status: 200,
    outcome: 'lookup_empty',
    resourceType: 'User',
    userName: 'ada@acme.com',
    errorDetail: null,
    source: 'idp',
    sourceIdp: 'okta',
    ...over,
  }
}

function fakeMain(opts: { testTraffic: number; idpComplete?: boolean; lastIdp?: Recent | null }) {
  const oktaCreate = event(2, { method: 'POST', status: 201, outcome: 'created' })
  const overview: Overview = {
    tenant: { id: 'demo', name: 'Demo', createdAt: '2026-12-01T09:00:00.000Z', scimBaseUrl },
    sso: {
      sp: {
        acsUrl: 'http://127.0.0.1:4100/sso/t/demo/acs',
        entityId: 'urn:demo',
        relayState: '',
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        metadataUrl: 'http://127.0.0.1:4100/sso/t/demo/metadata',
      },
      configured: false,
      entityId: null,
      ssoUrl: null,
      importedAt: null,
      certificates: [],
    },
    scim: {
      baseUrl: scimBaseUrl,
      tokens: [
        {
          id: 'tok_1',
          label: 'Okta production',
          createdAt: '2026-12-01T10:00:00.000Z',
          // The harness ran with this token after Okta's last request.
          lastUsedAt: '2026-12-07T10:05:00.000Z',
          hashPrefix: 'ab12cd34',
          inKeychain: true,
          lastIdpRequestAt: opts.lastIdp === null ? null : oktaCreate.time,
        },
      ],
    },
    // What main sends: no harness or replay rows; another client's request is shown, badged.
    recentEvents:
      opts.lastIdp === null
        ? []
        : [
            event(3, { source: 'other', sourceIdp: null, userName: null }),
            oktaCreate,
            event(1, {}),
          ],
    idp: {
      lastRequest: opts.lastIdp === undefined ? oktaCreate : opts.lastIdp,
      window: 100,
      complete: opts.idpComplete ?? true,
    },
  }
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
    'connections.overview': () => overview,
    'log.query': ({ filter }) => ({
      total: filter?.source?.every((s) => s === 'harness' || s === 'replay') ? opts.testTraffic : 0,
      offset: 0,
      size: 40,
      rows: [],
    }),
  })
}

describe('ConnectionScreen: the IdP’s traffic, not the console’s test runs', () => {
  it('shows the IdP’s last request and per-token use, and how many test-run requests it left out', async () => {
    const fake = fakeMain({ testTraffic: 37 })
    render(<ConnectionScreen />, { wrapper: withFakeApi(fake.api) })

    const last = await screen.findByTestId('overview-last-idp-request')
    expect(last.textContent).toMatch(/^Last request from Okta: .* · POST \/Users 201 created/)
    const rows = screen.getAllByTestId('recent-event')
    expect(rows.map((r) => within(r).getByTestId('source-badge').textContent)).toEqual([
      'Other',
      'Okta',
      'Okta',
    ])
    expect(screen.getByTestId('overview-token-idp-use').textContent).not.toMatch(/Never|Not in/)

    const note = await screen.findByTestId('overview-test-traffic')
    expect(note.getAttribute('data-count')).toBe('37')
    expect(note.textContent).toMatch(/37 test-run requests not shown/)
    // The count asks the log's index for harness and replay traffic only.
    const query = fake.calls.find((c) => c.channel === 'log.query')
    expect(query?.input).toMatchObject({ filter: { source: ['harness', 'replay'] } })

    useLogUi.setState({ showTestTraffic: false, filter: { text: 'stale' } })
    fireEvent.click(screen.getByTestId('overview-show-test-traffic'))
    expect(useUiStore.getState().screen).toBe('log')
    expect(useLogUi.getState().showTestTraffic).toBe(true)
    expect(useLogUi.getState().filter).toEqual({})
  })

  it('with only test-run traffic: no IdP request yet, tokens never used by it, and no count when none', async () => {
    const fake = fakeMain({ testTraffic: 0, lastIdp: null, idpComplete: true })
    render(<ConnectionScreen />, { wrapper: withFakeApi(fake.api) })

    const last = await screen.findByTestId('overview-last-idp-request')
    expect(last.textContent).toMatch(/No request from the IdP yet/)
    expect(screen.getByTestId('overview-token-idp-use').textContent).toBe('Never')
    expect(screen.queryAllByTestId('recent-event')).toHaveLength(0)
    await screen.findByText('No SCIM requests yet.')
    expect(screen.queryByTestId('overview-test-traffic')).toBeNull()
  })

  it('a token not among the IdP’s last requests read says so instead of "Never"', async () => {
    const fake = fakeMain({ testTraffic: 3, lastIdp: null, idpComplete: false })
    render(<ConnectionScreen />, { wrapper: withFakeApi(fake.api) })
    const cell = await screen.findByTestId('overview-token-idp-use')
    expect(cell.textContent).toBe('Not in its last 100 requests')
  })
})
