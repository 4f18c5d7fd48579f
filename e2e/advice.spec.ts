import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, fixturesDir, startWebHost, test } from './web-host-fixture.ts'

/**
 * Issue #13's "advice that holds", through the web host: the token advice is the same text in
 * the onboarding wizard and on the tokens screen for every Okta app kind, and the value it says
 * to paste for Header Auth (sent verbatim as the Authorization header) is accepted by the SCIM
 * endpoint.
 */

let host: Awaited<ReturnType<typeof startWebHost>>

// Its own web host: onboarding state is per tenant and must start empty.
test.beforeAll(async () => {
  host = await startWebHost()
})
test.afterAll(async () => {
  await host?.stop()
})

async function scimStatus(baseUrl: string, authorization: string): Promise<number> {
  const res = await fetch(`${baseUrl}/Users?count=1`, {
    headers: { Authorization: authorization, Accept: 'application/scim+json' },
  })
  await res.arrayBuffer()
  return res.status
}

test('token advice is identical in the wizard and on the tokens screen, and the pasted Header Auth value works', async ({
  page,
}) => {
  test.setTimeout(90_000)
  await page.goto(host.pageUrl)
  await page.getByTestId('ob-connect-confirm').click()
  await page.getByTestId('source-tab-paste').click()
  await page
    .getByTestId('paste-input')
    .fill(readFileSync(join(fixturesDir, 'okta-app-trial-org.xml'), 'utf8'))
  await page.getByTestId('paste-submit').click()
  await page.getByTestId('sso-push-start').click()
  await page.getByTestId('sso-push').click()
  await expect(page.getByTestId('sso-push-done')).toBeVisible()
  await page.getByTestId('ob-sso-confirm').click()
  // The SSO step ends with a test sign-in (e2e/sso-signin.spec.ts runs a real one): skip it here.
  await page.getByTestId('sso-signin-skip-reason').fill('no Okta test user yet')
  await page.getByTestId('sso-signin-skip').click()
  await expect(page.getByTestId('ob-panel-scim')).toBeVisible()

  await page.getByTestId('ob-token-generate').click()
  const wizard: Record<string, { advice: string; paste: string }> = {}
  for (const kind of ['header', 'oauth']) {
    await page.getByTestId(`ob-app-${kind}`).check()
    await expect(page.getByTestId('ob-token-advice')).toHaveAttribute('data-kind', kind)
    wizard[kind] = {
      advice: (await page.getByTestId('ob-token-advice').textContent())!,
      paste: (await page.getByTestId('ob-token-paste').textContent())!,
    }
  }
  expect(wizard.header!.paste).toMatch(/^Bearer scimc_/)
  expect(wizard.oauth!.paste).toMatch(/^scimc_/)
  await page.getByTestId('ob-app-oauth').check()
  await page.getByTestId('ob-scim-confirm').click()
  await expect(page.getByTestId('ob-step-scim')).toHaveAttribute('data-status', 'done')

  await page.getByTestId('nav-tokens').click()
  await page.getByTestId('token-label').fill('Advice e2e')
  await page.getByTestId('token-generate').click()
  // Defaults to the app saved in onboarding.
  await expect(page.getByTestId('new-token-app')).toHaveValue('oauth')
  const secret = (await page.getByTestId('new-token-secret').textContent())!
  for (const kind of ['header', 'oauth']) {
    await page.getByTestId('new-token-app').selectOption(kind)
    await expect(page.getByTestId('new-token-advice')).toHaveAttribute('data-kind', kind)
    expect(await page.getByTestId('new-token-advice').textContent()).toBe(wizard[kind]!.advice)
  }
  // The Auzmor Learn path (HTTP Header authentication): the token alone into "Authorization".
  await page.getByTestId('new-token-app').selectOption('aiw-http-header')
  await expect(page.getByTestId('new-token-advice')).toContainText('“Authorization”')
  await expect(page.getByTestId('new-token-paste')).toHaveText(secret)

  // The curl-equivalent: what the Header Auth advice says to paste, sent verbatim as the header.
  await page.getByTestId('new-token-app').selectOption('header')
  const pasted = (await page.getByTestId('new-token-paste').textContent())!
  expect(pasted).toBe(`Bearer ${secret}`)
  const baseUrl = (await page.getByTestId('tokens-scim-base-url').textContent())!
  expect(await scimStatus(baseUrl, pasted)).toBe(200)
  // The old advice (the bare token in that field) is what made Okta's requests fail.
  expect(await scimStatus(baseUrl, secret)).toBe(401)
})

test('an Entra file whose only certificate expired: not green, the verdict names it, Entra steps, and the Okta wizard flags it', async ({
  page,
}) => {
  const entra = readFileSync(
    join(fixturesDir, 'entra-app-federationmetadata-expired-2023.xml'),
    'utf8',
  )
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-metadata').click()
  await page.getByTestId('source-tab-paste').click()
  await page.getByTestId('paste-input').fill(entra)
  await page.getByTestId('paste-submit').click()
  const banner = page.getByTestId('metadata-status')
  await expect(banner).toHaveAttribute('data-level', 'error')
  await expect(banner).toHaveAttribute('data-ok', 'true')
  await expect(banner).toContainText('SSO will fail now: the only signing certificate has expired')
  await expect(banner).not.toContainText('Usable: SSO can work')
  await expect(page.getByTestId('metadata-verdict')).toHaveAttribute(
    'data-worst',
    'metadata.cert_expired',
  )
  await expect(page.getByTestId('metadata-idp')).toHaveText('Microsoft Entra ID')
  const expired = page.locator('[data-testid="finding"][data-code="metadata.cert_expired"]')
  await expect(expired).toContainText('Microsoft Entra admin center')
  await expect(expired).not.toContainText('Okta')

  // The onboarding wizard is for Okta: the same file there is flagged.
  await page.getByTestId('nav-onboarding').click()
  await page.getByTestId('ob-step-sso').click()
  await page.getByTestId('source-tab-paste').click()
  await page.getByTestId('paste-input').fill(entra)
  await page.getByTestId('paste-submit').click()
  await expect(page.getByTestId('ob-other-idp')).toHaveText(
    /^This is Microsoft Entra ID metadata; the wizard is for Okta\./,
  )
  await expect(page.getByTestId('ob-metadata-status')).not.toHaveClass(/tone-good/)
})

test('revoking the token that passed the test: onboarding says what changed, the tokens screen keeps a trace', async ({
  page,
}) => {
  test.setTimeout(120_000)
  await page.goto(host.pageUrl)
  // The first test confirmed steps 1-3 with the OAuth app; pass the pre-go-live test.
  await page.getByTestId('nav-onboarding').click()
  await page.getByTestId('ob-step-test').click()
  await page.getByTestId('ob-test-start').click()
  await expect(page.getByTestId('ob-test-result')).toHaveAttribute('data-outcome', 'passed', {
    timeout: 90_000,
  })
  await expect(page.getByTestId('ob-step-test')).toHaveAttribute('data-status', 'done')

  await page.getByTestId('nav-tokens').click()
  // The token the wizard generated (its default label) is the one Okta uses and the test passed with.
  const label = 'Okta provisioning'
  const row = page.locator(`[data-testid="token-row"][data-label="${label}"]`)
  await row.getByTestId('token-revoke').click()
  await row.getByTestId('token-revoke-confirm').click()
  const trace = page.locator(`[data-testid="revoked-token-row"][data-label="${label}"]`)
  await page.getByTestId('revoked-tokens').locator('summary').click()
  await expect(trace.getByTestId('revoked-at')).not.toBeEmpty()

  await page.getByTestId('nav-onboarding').click()
  await expect(page.getByTestId('ob-step-scim')).not.toHaveAttribute('data-status', 'done')
  await expect(page.getByTestId('ob-changed-scim')).toContainText(
    `Reopened: the token “${label}” was revoked on`,
  )
  await expect(page.getByTestId('ob-step-test')).not.toHaveAttribute('data-status', 'done')
  await expect(page.getByTestId('ob-changed-test')).toContainText('The test passed, but the token')
})
