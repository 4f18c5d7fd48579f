import { join } from 'node:path'
import { oktaAssign, scimCall, type ScimCaller } from '../test/support/log-test-support.ts'
import { axeReport } from './accessibility-support.ts'
import {
  defaultTarget,
  artifactsDir,
  expect,
  hostCall,
  startWebHost,
  test,
  type RunningWebHost,
} from './web-host-fixture.ts'

/**
 * Issue #13 item 4 on the Connection screen, through the web host: Okta assigns two users, then
 * the pre-go-live test (the real harness, with its expected 400/404/409s) runs with the same
 * token. The screen's recent activity, "last request from Okta" and the token's "last used by the
 * IdP" stay Okta's; the harness's requests are counted as not shown, and one click opens the log
 * with them shown.
 */

interface HarnessReport {
  runId: string
  outcome: string
}

async function runHarness(
  host: RunningWebHost,
  target: { connection: string; tenantId: string },
  tokenId: string,
  scimBaseUrl: string,
): Promise<HarnessReport> {
  const { runId } = await hostCall<{ runId: string }>(host, 'harness.start', {
    baseUrl: scimBaseUrl,
    profile: 'okta',
    token: { source: 'keychain', ...target, tokenId },
  })
  for (;;) {
    const r = await hostCall<{ report: HarnessReport | null }>(host, 'harness.report', { runId })
    if (r.report) return r.report
    await new Promise((done) => setTimeout(done, 250))
  }
}

let webHost: Awaited<ReturnType<typeof startWebHost>>

// Its own web host: it counts the tenant's requests, and its Okta users must not show up in the
// counts of the other specs that share a worker's host (the Directory counts users).
test.beforeAll(async () => {
  webHost = await startWebHost()
})
test.afterAll(async () => {
  await webHost?.stop()
})

test.describe('the Connection screen shows the IdP’s traffic, not the console’s test runs', () => {
  test('after Okta’s requests and a later harness run, its facts stay Okta’s', async ({ page }) => {
    test.setTimeout(120_000)
    const target = await defaultTarget(webHost)
    const token = await hostCall<{ id: string; secret: string }>(webHost, 'tokens.create', {
      ...target,
      label: 'Okta e2e connection',
    })
    const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(webHost, 'tokens.list', target)

    // Okta first (lookup + create for each user), then the pre-go-live test with the same token.
    const scim: ScimCaller = (path, init = {}) => scimCall(scimBaseUrl, token.secret, path, init)
    expect(await oktaAssign(scim, 'bob@acme.com')).toBeDefined()
    expect(await oktaAssign(scim, 'carol@acme.com')).toBeDefined()
    const report = await runHarness(webHost, target, token.id, scimBaseUrl)
    expect(report.outcome).toBe('passed')

    await page.setViewportSize({ width: 1400, height: 900 })
    await page.goto(webHost.pageUrl)
    await page.getByTestId('nav-connection').click()
    await expect(page.getByTestId('connection-screen')).toBeVisible()

    // The IdP's last request is Okta's create of carol, not the harness's last request.
    const last = page.getByTestId('overview-last-idp-request')
    await expect(last).toContainText('Last request from Okta:')
    await expect(last).toContainText('POST /Users 201 created')

    // Recent activity: Okta's four requests only, each badged Okta; no harness row, no 4xx.
    const recent = page.getByTestId('recent-event')
    await expect(recent).toHaveCount(4)
    expect(
      await recent.evaluateAll((els) =>
        els.map((e) => [
          e.getAttribute('data-source'),
          e.querySelector('[data-testid="source-badge"]')?.textContent ?? '',
        ]),
      ),
    ).toEqual(Array(4).fill(['idp', 'Okta']))
    await expect(page.locator('[data-testid="recent-event"][data-status^="4"]')).toHaveCount(0)
    await expect(page.getByTestId('recent-event').first()).toContainText('carol@acme.com')

    // The token's last use by the IdP is Okta's (the harness used it after, so "Last used" moved on).
    const tokenRow = page.getByTestId('overview-token').filter({ hasText: 'Okta e2e connection' })
    await expect(tokenRow.getByTestId('overview-token-idp-use')).not.toHaveText(/Never|Not in/)

    // The harness's requests are counted, not shown; one click opens them in the log.
    const note = page.getByTestId('overview-test-traffic')
    await expect(note).toContainText(/^\d+ test-run requests not shown/)
    const hidden = Number(await note.getAttribute('data-count'))
    expect(hidden).toBeGreaterThan(40)
    await page.screenshot({ path: join(artifactsDir, 'connection-sources.png'), fullPage: true })
    expect(await axeReport(page, 'connection: IdP activity with test runs left out')).toBe('')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.setViewportSize({ width: 1024, height: 700 })
    await page.getByTestId('overview-activity').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(artifactsDir, 'connection-sources-1024-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })

    await page.getByTestId('overview-show-test-traffic').click()
    await expect(page.getByTestId('log-screen')).toBeVisible()
    const toggle = page.getByTestId('log-test-traffic-toggle')
    await expect(toggle).toHaveText(`Hide test traffic (${hidden})`)
    await expect(page.getByTestId('log-table')).toHaveAttribute('data-total', String(4 + hidden))
  })
})

test.describe('the Tokens screen tells the IdP’s use of a token from the console’s tests', () => {
  test('after a rotation, a test run with the new token does not look like Okta using it', async ({
    page,
  }) => {
    test.setTimeout(120_000)
    const target = await defaultTarget(webHost)
    const old = await hostCall<{ id: string; secret: string }>(webHost, 'tokens.create', {
      ...target,
      label: 'Okta before rotation',
    })
    const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(webHost, 'tokens.list', target)
    const scim: ScimCaller = (path, init = {}) => scimCall(scimBaseUrl, old.secret, path, init)
    expect(await oktaAssign(scim, 'dave@acme.com')).toBeDefined()
    // Rotate, then run the pre-go-live test with the new token before Okta has it.
    const fresh = await hostCall<{ id: string; secret: string }>(webHost, 'tokens.rotate', {
      ...target,
      tokenId: old.id,
      label: 'Okta after rotation',
    })
    expect((await runHarness(webHost, target, fresh.id, scimBaseUrl)).outcome).toBe('passed')

    await page.setViewportSize({ width: 1400, height: 900 })
    await page.goto(webHost.pageUrl)
    await page.getByTestId('nav-tokens').click()
    const oldRow = page.getByTestId('token-row').filter({ hasText: 'Okta before rotation' })
    const newRow = page.getByTestId('token-row').filter({ hasText: 'Okta after rotation' })
    // The new token was used (by the test run), but never by the IdP: do not revoke the old yet.
    await expect(newRow.getByTestId('token-last-used')).not.toHaveText('Never')
    await expect(newRow.getByTestId('token-idp-use')).toHaveText('Never')
    await expect(oldRow.getByTestId('token-idp-use')).not.toHaveText(/Never|Not in/)
    await expect(page.getByText(/show the new token in “Last used by the IdP”/)).toBeVisible()
    await page.screenshot({ path: join(artifactsDir, 'tokens-idp-use.png'), fullPage: true })
    expect(await axeReport(page, 'tokens: IdP use beside any use')).toBe('')

    // Okta switches to the new token: the screen, left open, shows it without a reload.
    const viaNew: ScimCaller = (path, init = {}) => scimCall(scimBaseUrl, fresh.secret, path, init)
    expect(await oktaAssign(viaNew, 'erin@acme.com')).toBeDefined()
    await expect(newRow.getByTestId('token-idp-use')).not.toHaveText('Never', { timeout: 20_000 })
  })
})
