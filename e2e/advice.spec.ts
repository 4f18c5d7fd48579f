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
