import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  startBackendBehindFaultProxy,
  type BackendBehindFaultProxy,
} from '../test/support/backend-behind-fault-proxy.ts'
import {
  expect,
  fixturesDir,
  startWebHost,
  test,
  hostCall,
  screenshotPage,
} from './web-host-fixture.ts'

/**
 * Step 4 of the onboarding against a backend that fails a check: the reference backend deployed
 * behind a real proxy whose userName filters compare case-sensitively, its public URL set to the
 * proxy, reached through a saved connection. The page must show the failure with its fix and keep
 * go-live blocked; once the server is fixed and redeployed, a re-run opens go-live.
 */

const ADMIN_KEY = 'e2e-proxied-admin-key-0123456789'
const CONNECTION = 'behind-proxy'

let host: Awaited<ReturnType<typeof startWebHost>>
let backend: BackendBehindFaultProxy

test.beforeAll(async () => {
  host = await startWebHost()
  backend = await startBackendBehindFaultProxy({
    adminKey: ADMIN_KEY,
    fault: 'filter-case-sensitive',
  })
  await hostCall(host, 'connections.add', {
    name: CONNECTION,
    adminBaseUrl: backend.adminBaseUrl,
    adminKey: ADMIN_KEY,
  })
  // Steps 1 to 3 through the same channels the page uses; step 4 is what this spec is about.
  const target = { connection: CONNECTION, tenantId: backend.tenantId }
  await hostCall(host, 'onboarding.confirmConnect', target)
  await hostCall(host, 'sso.push', {
    ...target,
    source: {
      kind: 'text',
      text: readFileSync(join(fixturesDir, 'okta-app-trial-org.xml'), 'utf8'),
      name: 'okta-app-trial-org.xml',
    },
  })
  await hostCall(host, 'onboarding.confirmSso', target)
  await hostCall(host, 'onboarding.skipSignInTest', { ...target, reason: 'tested separately' })
  const token = await hostCall<{ id: string }>(host, 'tokens.create', { ...target, label: 'Okta' })
  await hostCall(host, 'onboarding.confirmScim', {
    ...target,
    tokenId: token.id,
    oktaApp: 'header',
  })
})
test.afterAll(async () => {
  await host?.stop()
  await backend?.close()
})

test('a failing pre-go-live test shows its fix and blocks go-live until a re-run passes', async ({
  page,
}) => {
  test.setTimeout(180_000)
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-connection').click()
  await page
    .locator(`[data-testid="connection-item"][data-name="${CONNECTION}"]`)
    .getByRole('radio')
    .check()
  await page.getByTestId('nav-onboarding').click()
  await expect(page.getByTestId('ob-step-connect')).toContainText(`Using ${CONNECTION}`)
  await expect(page.getByTestId('ob-step-test')).toHaveAttribute('data-status', 'current')
  // The SCIM base URL the backend reports, and the test calls, is the proxy's.
  await expect(page.getByTestId('ob-panel-test')).toContainText(backend.scimBaseUrl)

  await test.step('the test fails, the failing check shows its fix, go-live is blocked', async () => {
    await page.getByTestId('ob-test-start').click()
    await expect(page.getByTestId('ob-test-result')).toHaveAttribute('data-outcome', 'failed', {
      timeout: 90_000,
    })
    const problems = page.getByTestId('ob-test-problems')
    await expect(problems).toContainText('userName filter is case-insensitive')
    await expect(problems).toContainText(
      'Fix: Compare userName case-insensitively in filters (and in the uniqueness check).',
    )
    await expect(page.getByTestId('ob-test-result')).toContainText('fix these before go-live')
    await expect(page.getByTestId('ob-test-continue')).toHaveCount(0)
    await expect(page.getByTestId('ob-step-test')).toHaveAttribute('data-status', 'current')
    await expect(page.getByTestId('ob-step-golive')).toHaveAttribute('data-status', 'blocked')
    await expect(page.getByTestId('ob-blocked-golive')).toContainText(
      /the pre-go-live test failed \d+ checks?: fix them and run it again/,
    )
    expect(backend.proxy.requests.some((r) => /filter=userName/.test(r.path))).toBe(true)
    await screenshotPage(page, 'onboarding-blocked.png')

    await page.getByTestId('ob-step-golive').click()
    await expect(page.getByTestId('ob-panel-golive')).toHaveAttribute('data-status', 'blocked')
    await expect(page.getByTestId('ob-panel-golive')).toContainText('pre-go-live test failed')
    await expect(page.getByTestId('ob-golive-begin')).toBeDisabled()
  })

  await test.step('fixed and redeployed: a re-run passes and go-live opens', async () => {
    await backend.redeploy()
    await page.getByTestId('ob-step-test').click()
    await expect(page.getByTestId('ob-test-start')).toHaveText('Run the test again')
    await page.getByTestId('ob-test-start').click()
    await expect(page.getByTestId('ob-test-result')).toHaveAttribute('data-outcome', 'passed', {
      timeout: 90_000,
    })
    await expect(page.getByTestId('ob-test-problems')).toHaveCount(0)
    await expect(page.getByTestId('ob-step-test')).toHaveAttribute('data-status', 'done')
    await expect(page.getByTestId('ob-step-golive')).toHaveAttribute('data-status', 'current')
    await page.getByTestId('ob-test-continue').click()
    await expect(page.getByTestId('ob-golive-begin')).toBeEnabled()
  })
})
