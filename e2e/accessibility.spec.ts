import type { Page } from '@playwright/test'
import { oktaAssign, oktaDeactivate, scimCall } from '../test/support/log-test-support.ts'
import { axeReport, defaultTarget, hostCall } from './accessibility-support.ts'
import { expect, fixturesDir, isolatedTest as test } from './web-host-fixture.ts'

/**
 * WCAG 2.1 AA through axe, on every screen and state, in the light and the dark scheme. Its own
 * web host (isolatedTest): the onboarding must still be open on the first visit, and the log
 * holds only the events this spec sends. Each state is checked with a soft assertion so one run
 * lists every violation, printed rule by rule with the offending nodes.
 */

async function check(page: Page, state: string): Promise<void> {
  expect.soft(await axeReport(page, state), `axe violations in “${state}”`).toBe('')
}

async function open(page: Page, pageUrl: string, screen: string): Promise<void> {
  await page.goto(pageUrl)
  await page.getByTestId(`nav-${screen}`).click()
  await expect(page.getByTestId(`${screen}-screen`)).toBeVisible()
}

test.describe('accessibility (axe, WCAG 2.1 AA, light and dark)', () => {
  // Each axe pass over a full screen takes seconds on a busy machine, two schemes per state.
  test.describe.configure({ timeout: 120_000 })

  test('onboarding, first visit', async ({ page, webHost }) => {
    await page.goto(webHost.pageUrl)
    await expect(page.getByTestId('onboarding-screen')).toBeVisible()
    await expect(page.getByTestId('ob-tenant-name')).toContainText('Demo tenant')
    await check(page, 'onboarding: connect step')
  })

  test('metadata: empty, a parsed file, and a file that is not usable', async ({
    page,
    webHost,
  }) => {
    await open(page, webHost.pageUrl, 'metadata')
    await check(page, 'metadata: no file yet')

    let chooser = page.waitForEvent('filechooser')
    await page.getByTestId('choose-file').click()
    await (await chooser).setFiles(`${fixturesDir}/entra-app-federationmetadata-expired-2023.xml`)
    await expect(page.getByTestId('metadata-status')).toHaveAttribute('data-ok', 'true')
    await check(page, 'metadata: parsed file')

    chooser = page.waitForEvent('filechooser')
    await page.getByTestId('choose-file').click()
    await (await chooser).setFiles(`${fixturesDir}/sp-salesforce-not-idp.xml`)
    await expect(page.getByTestId('metadata-status')).toHaveAttribute('data-ok', 'false')
    await check(page, 'metadata: error')

    await page.getByTestId('source-tab-paste').click()
    await check(page, 'metadata: paste tab')
  })

  test('connection', async ({ page, webHost }) => {
    await open(page, webHost.pageUrl, 'connection')
    await expect(page.getByTestId('test-result')).toContainText('Connected')
    await check(page, 'connection')
  })

  test('tokens: list, and a new token shown', async ({ page, webHost }) => {
    await open(page, webHost.pageUrl, 'tokens')
    await check(page, 'tokens: list')
    await page.getByTestId('token-label').fill('Okta a11y')
    await page.getByTestId('token-generate').click()
    await expect(page.getByTestId('new-token-secret')).toBeVisible()
    await check(page, 'tokens: new token shown')
  })

  test('conformance: before and after a run', async ({ page, webHost }) => {
    // A token of the tenant in the (memory) keychain, so the form offers it.
    await hostCall(webHost, 'tokens.create', {
      ...(await defaultTarget(webHost)),
      label: 'Okta a11y run',
    })
    await open(page, webHost.pageUrl, 'conformance')
    await expect(page.getByTestId('conf-url')).toHaveValue(/\/scim\/v2$/)
    await check(page, 'conformance: form')
    await expect(page.getByTestId('conf-token-select')).toBeVisible()
    await page.getByTestId('conf-start').click()
    await expect(page.getByTestId('conf-outcome')).toBeVisible({ timeout: 60_000 })
    await check(page, 'conformance: after a run')
  })

  test('provisioning log: events, and an event’s detail open', async ({ page, webHost }) => {
    const target = await defaultTarget(webHost)
    const created = await hostCall<{ secret: string }>(webHost, 'tokens.create', {
      ...target,
      label: 'Okta a11y log',
    })
    const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(webHost, 'tokens.list', target)
    const scim = (path: string, init = {}) => scimCall(scimBaseUrl, created.secret, path, init)

    await open(page, webHost.pageUrl, 'log')
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live')
    const janeId = (await oktaAssign(scim, 'jane.doe@acme.com'))!
    expect(await oktaDeactivate(scim, janeId)).toBe(200)
    await oktaAssign(scim, 'bob.smith@acme.com', { extra: { title: ['Engineer'] } })
    await expect(page.locator('[data-testid="log-row"][data-status="400"]')).toHaveCount(1)
    await check(page, 'log: events')

    await page.getByTestId('log-row').filter({ hasText: 'PATCH' }).first().click()
    await expect(page.getByTestId('event-detail')).toBeVisible()
    await check(page, 'log: event detail open')

    await page.getByTestId('detail-user-story').click()
    await expect(page.getByTestId('user-story')).toBeVisible()
    await check(page, 'log: user story open')
  })

  test('sign-in log: no attempts yet, and the SAML inspector with a result', async ({
    page,
    webHost,
  }) => {
    await open(page, webHost.pageUrl, 'sso-log')
    await expect(page.getByTestId('sso-events-empty')).toBeVisible()
    await check(page, 'sign-in log: no attempts')
    await page.getByTestId('saml-inspector-text').fill('PHNhbWxwOlJlc3BvbnNlLz4=')
    // Against the tenant's IdP metadata, which this tenant does not have yet: the error state.
    const tenantChoice = page.getByRole('radio', { name: 'This tenant’s IdP metadata' })
    await expect(tenantChoice).toBeEnabled()
    await tenantChoice.check()
    await page.getByTestId('saml-inspector-run').click()
    await expect(page.getByTestId('saml-inspector')).toContainText('has no IdP metadata')
    await check(page, 'sign-in log: inspector error')
    await page.getByRole('radio', { name: 'Nothing: decode only' }).check()
    await page.getByTestId('saml-inspector-run').click()
    await expect(page.getByTestId('saml-inspector-verdict')).toBeVisible()
    await check(page, 'sign-in log: inspector result')
  })
})
