import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { oktaTokenAdviceText } from '../src-shared/okta-token-advice.ts'
import { expect, fixturesDir, screenshotPage, startWebHost, test } from './web-host-fixture.ts'

/**
 * Issue #13 item 8: the onboarding wizard offers both setup paths of the vendors' Okta guides
 * (a catalog "SCIM 2.0 Test App", or SCIM enabled on the SAML app with "HTTP Header"), each with
 * its own steps and fields and nothing of the other, the same token advice as everywhere, and an
 * export that names the chosen app intact.
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

/** Text as the export escapes it. */
const htmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

async function throughSso(page: Page): Promise<void> {
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
  await page.getByTestId('sso-signin-skip-reason').fill('no Okta test user yet')
  await page.getByTestId('sso-signin-skip').click()
  await expect(page.getByTestId('ob-panel-scim')).toBeVisible()
}

test('both setup paths, each complete and unmixed; the HTTP Header value works; the export keeps "OAuth Bearer Token"', async ({
  page,
}) => {
  test.setTimeout(90_000)
  await throughSso(page)
  const steps = page.getByTestId('ob-okta-scim-steps')

  await test.step('the App Integration Wizard path (Auzmor Learn guide)', async () => {
    await page.getByTestId('ob-app-aiw-http-header').check()
    await expect(page.getByTestId('ob-scim-path-summary')).toHaveAttribute('data-path', 'aiw')
    await expect(page.getByTestId('ob-base-url-field')).toContainText('SCIM connector base URL')
    await expect(steps).toContainText('General → App Settings → Edit')
    await expect(steps).toContainText('Enable SCIM provisioning')
    await expect(steps).toContainText('Unique identifier field for users: userName')
    await expect(steps).toContainText('Push New Users, Push Profile Updates and Push Groups')
    await expect(steps).toContainText('choose “HTTP Header”; in “Authorization”')
    await expect(steps).toContainText('Test Connector Configuration')
    // Nothing of the catalog path.
    await expect(steps).not.toContainText('Browse App Catalog')
    await expect(steps).not.toContainText('Configure API Integration')
    await expect(steps).not.toContainText('Test API Credentials')

    await page.getByTestId('ob-token-generate').click()
    await expect(page.getByTestId('ob-token-advice')).toHaveText(
      oktaTokenAdviceText('aiw-http-header'),
    )
    const pasted = (await page.getByTestId('ob-token-paste').textContent())!
    expect(pasted).toMatch(/^scimc_/)
    // Okta's HTTP Header mode sends "Bearer " + the field: that is accepted.
    const baseUrl = (await page.getByTestId('ob-scim-base-url').textContent())!
    expect(await scimStatus(baseUrl, `Bearer ${pasted}`)).toBe(200)
    await page.setViewportSize({ width: 1280, height: 800 })
    await screenshotPage(page, 'onboarding-3-scim-aiw.png')
  })

  await test.step('the catalog path (Wizer guide: Header Auth)', async () => {
    await page.getByTestId('ob-app-header').check()
    await expect(page.getByTestId('ob-scim-path-summary')).toHaveAttribute('data-path', 'catalog')
    await expect(page.getByTestId('ob-base-url-field')).toContainText('SCIM 2.0 Base URL')
    await expect(steps).toContainText('Browse App Catalog')
    await expect(steps).toContainText('“SCIM 2.0 Test App (Header Auth)”')
    await expect(steps).toContainText('Configure API Integration')
    await expect(steps).toContainText('in “API Token” paste the word Bearer')
    await expect(steps).toContainText('Test API Credentials')
    // Nothing of the App Integration Wizard path.
    await expect(steps).not.toContainText('Unique identifier')
    await expect(steps).not.toContainText('HTTP Header')
    await expect(steps).not.toContainText('Enable SCIM provisioning')
    await expect(page.getByTestId('ob-token-advice')).toHaveText(oktaTokenAdviceText('header'))
    await expect(page.getByTestId('ob-token-paste')).toHaveText(/^Bearer scimc_/)
  })

  await test.step('confirm with the OAuth Bearer Token app; the go-live reminder and the export follow it', async () => {
    await page.getByTestId('ob-app-oauth').check()
    await expect(page.getByTestId('ob-token-advice')).toHaveText(oktaTokenAdviceText('oauth'))
    await page.getByTestId('ob-scim-confirm').click()
    await expect(page.getByTestId('ob-step-scim')).toHaveAttribute('data-status', 'done')
    await page.getByTestId('ob-step-golive').click()
    await expect(page.getByTestId('ob-sso-reminder')).toHaveAttribute('data-path', 'catalog')
    await expect(page.getByTestId('ob-sso-reminder')).toContainText('cannot log in')

    const download = page.waitForEvent('download')
    await page.getByTestId('ob-export').click()
    const html = readFileSync((await (await download).path())!, 'utf8')
    expect(html).toContain('SCIM 2.0 Test App (OAuth Bearer Token)')
    expect(html).not.toContain('OAuth Bearer [REDACTED]')
    expect(html).toContain(htmlText(oktaTokenAdviceText('oauth')))
    expect(html).toContain('data-path="catalog"')
    expect(html).not.toContain('Unique identifier field')
  })

  await test.step('switching to the HTTP Header path changes the go-live reminder and the export', async () => {
    await page.getByTestId('ob-step-scim').click()
    await page.getByTestId('ob-app-aiw-http-header').check()
    await page.getByTestId('ob-scim-confirm').click()
    await page.getByTestId('ob-step-golive').click()
    await expect(page.getByTestId('ob-sso-reminder')).toHaveAttribute('data-path', 'aiw')
    await expect(page.getByTestId('ob-sso-reminder')).not.toContainText('cannot log in')
    const download = page.waitForEvent('download')
    await page.getByTestId('ob-export').click()
    const html = readFileSync((await (await download).path())!, 'utf8')
    expect(html).toContain('data-path="aiw"')
    expect(html).toContain('Unique identifier field for users')
    expect(html).toContain(htmlText(oktaTokenAdviceText('aiw-http-header')))
    expect(html).not.toContain('Browse App Catalog')
  })
})
