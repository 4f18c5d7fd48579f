import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { oktaAssign, oktaDeactivate, scimCall } from '../test/support/log-test-support.ts'
import { defaultTarget, hostCall } from './accessibility-support.ts'
import { activate, focused, focusedAttr, focusInside, tabTo } from './keyboard-support.ts'
import { expect, fixturesDir, isolatedTest, startWebHost, test } from './web-host-fixture.ts'

/**
 * Keyboard-only walks: no click, no pointer. Every control is reached with Tab (tabTo proves it is
 * in the Tab order), widgets are driven with their keys, and focus is checked after each step.
 */

async function navigate(page: Page, screen: string): Promise<void> {
  await activate(page, `nav-${screen}`)
  await expect(page.getByTestId(`${screen}-screen`)).toBeVisible()
  // Focus moved to the new screen's heading, and the window is named after the screen.
  await expect.poll(() => page.evaluate<string>('document.activeElement?.tagName')).toBe('H1')
}

test('keyboard: the onboarding from the skip link to the SCIM step’s token', async ({ page }) => {
  test.setTimeout(120_000)
  const host = await startWebHost()
  try {
    await page.goto(host.pageUrl)
    await expect(page.getByTestId('onboarding-screen')).toBeVisible()
    await expect(page).toHaveTitle('Onboarding · scim-console')
    await expect(page.getByTestId('ob-tenant-name')).toContainText('Demo tenant')

    // The skip link comes before everything else and lands in the content.
    await tabTo(page, 'skip-link', { back: true })
    expect(await focused(page)).toBe('skip-link')
    await page.keyboard.press('Enter')
    expect(await focusedAttr(page, 'id')).toBe('main')

    // 1. "Use this backend and tenant": focus moves into the SSO step, not to <body>.
    await activate(page, 'ob-connect-confirm')
    await expect(page.getByTestId('ob-step-connect')).toHaveAttribute('data-status', 'done')
    await expect(page.getByTestId('ob-panel-sso')).toBeVisible()
    await expect.poll(() => focusInside(page, 'ob-panel-sso')).toBe(true)

    // 2. SSO: the source tabs by arrow keys, paste the metadata, push it, confirm.
    await tabTo(page, 'source-tab-file')
    await page.keyboard.press('ArrowRight')
    expect(await focused(page)).toBe('source-tab-paste')
    await expect(page.getByTestId('source-tab-paste')).toHaveAttribute('aria-selected', 'true')
    await tabTo(page, 'paste-input')
    await page.keyboard.insertText(
      readFileSync(join(fixturesDir, 'okta-app-trial-org.xml'), 'utf8'),
    )
    await activate(page, 'paste-submit')
    await expect(page.getByTestId('ob-metadata-status')).toHaveAttribute('data-ok', 'true')
    await activate(page, 'sso-push-start')
    await activate(page, 'sso-push')
    await expect(page.getByTestId('sso-push-done')).toBeVisible()
    expect(await focused(page)).toBe('sso-push-done')
    await activate(page, 'ob-sso-confirm')
    // The step ends with a test sign-in this spec has no IdP for: skip it, from the keyboard.
    await tabTo(page, 'sso-signin-skip-reason')
    await page.keyboard.insertText('no Okta test user yet')
    await activate(page, 'sso-signin-skip')
    await expect(page.getByTestId('ob-step-sso')).toHaveAttribute('data-status', 'done')
    await expect.poll(() => focusInside(page, 'ob-panel-scim')).toBe(true)

    // 3. SCIM: generate the token and read it where Okta's field wants it.
    await activate(page, 'ob-token-generate')
    await expect(page.getByTestId('ob-token-paste')).toHaveText(/^Bearer scimc_[A-Za-z0-9_-]{43}$/)
    expect(await focused(page)).not.toBe('<body>')
  } finally {
    await host.stop()
  }
})

isolatedTest.describe('keyboard walks on the worker’s web host', () => {
  isolatedTest('keyboard: generate a token on SCIM tokens', async ({ page, webHost }) => {
    await page.goto(webHost.pageUrl)
    await expect(page.getByTestId('onboarding-screen')).toBeVisible()
    await navigate(page, 'tokens')
    await expect(page).toHaveTitle('SCIM tokens · scim-console')
    await tabTo(page, 'token-label')
    await page.keyboard.type('Okta keyboard')
    await activate(page, 'token-generate')
    await expect(page.getByTestId('new-token-secret')).toHaveText(/^scimc_/)
    expect(await focused(page)).not.toBe('<body>')
    await activate(page, 'new-token-done')
    await expect(page.getByTestId('new-token-secret')).toHaveCount(0)
    expect(await focused(page)).not.toBe('<body>')
    await expect(page.getByTestId('token-row').filter({ hasText: 'Okta keyboard' })).toHaveCount(1)
  })

  isolatedTest('keyboard: a conformance run, choices by arrow keys', async ({ page, webHost }) => {
    isolatedTest.setTimeout(120_000)
    await hostCall(webHost, 'tokens.create', { ...(await defaultTarget(webHost)), label: 'kb' })
    await page.goto(webHost.pageUrl)
    await expect(page.getByTestId('onboarding-screen')).toBeVisible()
    await navigate(page, 'conformance')
    await expect(page.getByTestId('conf-url')).toHaveValue(/\/scim\/v2$/)

    // The token choice is one Tab stop; the arrows move and choose.
    await tabTo(page, 'conf-token-keychain')
    await page.keyboard.press('ArrowRight')
    expect(await focused(page)).toBe('conf-token-pasted')
    await expect(page.getByTestId('conf-token-pasted')).toHaveAttribute('aria-checked', 'true')
    await page.keyboard.press('ArrowLeft')
    await expect(page.getByTestId('conf-token-keychain')).toHaveAttribute('aria-checked', 'true')
    // The next Tab leaves the group: the pasted option is no stop of its own.
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('conf-token-select')

    await tabTo(page, 'conf-profile-okta')
    await page.keyboard.press('End')
    await expect(page.getByTestId('conf-profile-rfc')).toHaveAttribute('aria-checked', 'true')
    await page.keyboard.press('Home')
    await expect(page.getByTestId('conf-profile-okta')).toHaveAttribute('aria-checked', 'true')
    await page.keyboard.press('Tab')
    expect(await focused(page)).toBe('conf-read-only')
    await page.keyboard.press('Space')
    await expect(page.getByTestId('conf-read-only')).toBeChecked()

    await activate(page, 'conf-start')
    await expect(page.getByTestId('conf-outcome')).toHaveAttribute('data-outcome', 'passed', {
      timeout: 90_000,
    })
    expect(await focused(page)).not.toBe('<body>')
  })

  isolatedTest('keyboard: open a log event, read it, close it', async ({ page, webHost }) => {
    isolatedTest.setTimeout(90_000)
    const target = await defaultTarget(webHost)
    const made = await hostCall<{ secret: string }>(webHost, 'tokens.create', {
      ...target,
      label: 'Okta keyboard log',
    })
    const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(webHost, 'tokens.list', target)
    const scim = (path: string, init = {}) => scimCall(scimBaseUrl, made.secret, path, init)
    const janeId = (await oktaAssign(scim, 'jane.kb@acme.com'))!
    expect(await oktaDeactivate(scim, janeId)).toBe(200)

    await page.goto(webHost.pageUrl)
    await expect(page.getByTestId('onboarding-screen')).toBeVisible()
    await navigate(page, 'log')
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live')
    // Okta's three requests arrive through the stream after it is live (test traffic filtered out).
    await expect
      .poll(async () => Number(await page.getByTestId('log-table').getAttribute('data-total')))
      .toBeGreaterThanOrEqual(3)
    const total = Number(await page.getByTestId('log-table').getAttribute('data-total'))

    // The grid is one Tab stop: its active row.
    await tabTo(page, 'log-row')
    const index = async () => Number(await focusedAttr(page, 'data-index'))
    await page.keyboard.press('Home')
    await expect.poll(index).toBe(0)
    await page.keyboard.press('ArrowDown')
    await expect.poll(index).toBe(1)
    await page.keyboard.press('End')
    await expect.poll(index).toBe(total - 1)
    // A page is the rows the scroll area shows, less one kept for context.
    const rowsShown = Math.floor(
      (await page.getByTestId('log-scroll').evaluate((el) => el.clientHeight)) / 30,
    )
    const pageRows = Math.max(1, rowsShown - 1)
    await page.keyboard.press('PageUp')
    await expect.poll(index).toBe(Math.max(0, total - 1 - pageRows))
    await page.keyboard.press('Home')
    await page.keyboard.press('PageDown')
    await expect.poll(index).toBe(Math.min(total - 1, pageRows))
    await page.keyboard.press('End')
    await page.keyboard.press('ArrowUp')
    await expect.poll(index).toBe(total - 2)

    // Enter opens the event; focus goes into the detail; Escape closes it and returns to the row.
    const seq = await focusedAttr(page, 'data-seq')
    await page.keyboard.press('Enter')
    const detail = page.getByTestId('event-detail')
    await expect(detail).toHaveAttribute('data-seq', seq!)
    await expect.poll(() => focusInside(page, 'event-detail')).toBe(true)
    await expect(detail.getByTestId('detail-status')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(detail).toHaveCount(0)
    await expect.poll(() => focusedAttr(page, 'data-seq')).toBe(seq)
    // Space opens it too.
    await page.keyboard.press('Space')
    await expect(detail).toHaveAttribute('data-seq', seq!)
  })
})
