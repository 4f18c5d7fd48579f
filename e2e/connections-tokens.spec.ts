import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { fileHaystacks, findLeaks, secretNeedles } from '../test/support/secret-leak-search.ts'
import { startTestServer, TEST_ADMIN_KEY } from '../test/support/test-server.ts'
import { artifactsDir, expect, fixturesDir, test } from './web-host-fixture.ts'

const fixture = (name: string): string => readFileSync(join(fixturesDir, name), 'utf8')

async function pasteMetadata(page: Page, xml: string): Promise<void> {
  await page.getByTestId('nav-metadata').click()
  await page.getByTestId('source-tab-paste').click()
  await page.getByTestId('paste-input').fill(xml)
  await page.getByTestId('paste-submit').click()
  await expect(page.getByTestId('metadata-status')).toHaveAttribute('data-ok', 'true')
}

async function scimStatus(baseUrl: string, token: string): Promise<number> {
  const res = await fetch(`${baseUrl}/Users?count=1`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  await res.body?.cancel()
  return res.status
}

// One story, in order: a fresh data folder, the embedded backend, a token, two metadata pushes.
test.describe.configure({ mode: 'serial' })

test.describe('connections, tokens and the SSO push through the web host', () => {
  test('connects to the embedded backend and shows the demo tenant, with the memory-store banner', async ({
    page,
    webHost,
  }) => {
    await page.goto(webHost.pageUrl)
    await expect(page.getByTestId('memory-store-banner')).toBeVisible()
    await page.getByTestId('nav-connection').click()
    const embedded = page.locator('[data-testid="connection-item"][data-name="embedded"]')
    await expect(embedded).toHaveAttribute('data-active', 'true')
    await expect(embedded.getByTestId('connection-admin-url')).toHaveText(
      /^http:\/\/127\.0\.0\.1:\d+\/admin\/v1$/,
    )
    await expect(page.getByTestId('test-result')).toContainText('Connected')
    await expect(page.getByTestId('tenant-name')).toHaveText('Demo tenant')
    await expect(page.getByTestId('overview-sso-status')).toHaveAttribute(
      'data-configured',
      'false',
    )
    await expect(page.getByTestId('overview-scim-base-url')).toHaveText(/\/scim\/v2$/)
    await expect(page.getByTestId('sp-acs-url')).toHaveText(/^http/)
    await page.getByTestId('test-connection').click()
    await expect(page.getByTestId('test-result')).toContainText('1 tenant')
    await page.screenshot({ path: join(artifactsDir, 'connection-embedded.png'), fullPage: true })
  })

  test('generates a token, shows it once, and the token works against SCIM', async ({
    page,
    context,
    webHost,
  }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: webHost.origin,
    })
    // The page's clock is ours, so the 60-second clipboard clear runs without waiting for it.
    await page.clock.install()
    await page.goto(webHost.pageUrl)
    await page.getByTestId('nav-tokens').click()
    await page.getByTestId('token-label').fill('Okta e2e')
    await page.getByTestId('token-generate').click()
    const secretEl = page.getByTestId('new-token-secret')
    await expect(secretEl).toHaveText(/^scimc_[A-Za-z0-9_-]{43}$/)
    const secret = (await secretEl.textContent())!
    await page.screenshot({ path: join(artifactsDir, 'tokens-new-once.png'), fullPage: true })

    const readClipboard = () =>
      page.evaluate(() =>
        (
          globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
        ).navigator.clipboard.readText(),
      )
    await page.getByTestId('copy-new-token').click()
    await expect(page.getByTestId('copy-new-token')).toContainText('Copied')
    expect(await readClipboard()).toBe(secret)
    await page.clock.runFor(59_000)
    expect(await readClipboard()).toBe(secret)
    await page.clock.runFor(2_000)
    await expect.poll(readClipboard).toBe('')
    // Something the person copied since is left alone.
    await page.getByTestId('copy-new-token').click()
    await expect.poll(readClipboard).toBe(secret)
    await page.evaluate(() =>
      (
        globalThis as unknown as {
          navigator: { clipboard: { writeText(t: string): Promise<void> } }
        }
      ).navigator.clipboard.writeText('copied since'),
    )
    await page.clock.runFor(61_000)
    expect(await readClipboard()).toBe('copied since')

    const scimBaseUrl = (await page.getByTestId('tokens-scim-base-url').textContent())!
    expect(await scimStatus(scimBaseUrl, secret)).toBe(200)
    expect(await scimStatus(scimBaseUrl, secret.slice(0, -1) + 'x')).toBe(401)

    await page.getByTestId('new-token-done').click()
    await expect(secretEl).toHaveCount(0)
    await page.reload()
    await page.getByTestId('nav-tokens').click()
    const row = page.locator('[data-testid="token-row"][data-label="Okta e2e"]')
    await expect(row.getByTestId('token-in-keychain')).toHaveText('stored')
    // The SCIM call above marked it used; the list shows that, and never the secret.
    await expect(row.getByTestId('token-last-used')).not.toHaveText('Never')
    expect(await page.content()).not.toContain(secret)
    await page.screenshot({ path: join(artifactsDir, 'tokens-list.png'), fullPage: true })

    // Only the SHA-256 went to the backend; the data folder (its database included) never saw the token.
    const files = fileHaystacks(webHost.dataDir)
    expect(files.length).toBeGreaterThan(0)
    expect(findLeaks(files, secretNeedles('token', secret))).toEqual([])

    // Reveal is the explicit way back to the secret.
    await row.getByTestId('token-reveal').click()
    await expect(row.getByTestId('revealed-secret')).toHaveText(secret)

    // The SCIM calls above show up as the tenant's recent activity.
    await page.getByTestId('nav-connection').click()
    await expect(page.locator('[data-testid="recent-event"][data-status="200"]')).not.toHaveCount(0)
  })

  test('rotates a token alongside the old one, then revokes the old one after confirming', async ({
    page,
    webHost,
  }) => {
    await page.goto(webHost.pageUrl)
    await page.getByTestId('nav-tokens').click()
    const old = page.locator('[data-testid="token-row"][data-label="Okta e2e"]')
    await old.getByTestId('token-reveal').click()
    const oldSecret = (await old.getByTestId('revealed-secret').textContent())!
    await old.getByTestId('token-rotate').click()
    await expect(page.getByTestId('rotate-note')).toBeVisible()
    const newSecret = (await page.getByTestId('new-token-secret').textContent())!
    expect(newSecret).not.toBe(oldSecret)
    const scimBaseUrl = (await page.getByTestId('tokens-scim-base-url').textContent())!
    expect(await scimStatus(scimBaseUrl, oldSecret)).toBe(200)
    expect(await scimStatus(scimBaseUrl, newSecret)).toBe(200)
    await page.screenshot({ path: join(artifactsDir, 'tokens-rotated.png'), fullPage: true })
    await page.getByTestId('new-token-done').click()

    await old.getByTestId('token-revoke').click()
    await expect(old.getByTestId('revoke-confirm-box')).toBeVisible()
    await old.getByTestId('token-revoke-confirm').click()
    await expect(old).toHaveCount(0)
    expect(await scimStatus(scimBaseUrl, oldSecret)).toBe(401)
    expect(await scimStatus(scimBaseUrl, newSecret)).toBe(200)
  })

  test('pushes metadata and sees the diff, then a second one with certificates added and removed', async ({
    page,
    webHost,
  }) => {
    await page.goto(webHost.pageUrl)
    await pasteMetadata(page, fixture('okta-app-trial-org.xml'))
    await page.getByTestId('sso-push-start').click()
    const diff = page.getByTestId('sso-diff')
    await expect(diff).toHaveAttribute('data-first', 'true')
    await expect(page.getByTestId('diff-entity-id')).toContainText(
      'http://www.okta.com/exkdoocxa1VmjpXmX697',
    )
    await expect(page.getByTestId('diff-cert-added')).toHaveCount(1)
    await expect(page.getByTestId('sp-acs-url')).toBeVisible()
    await page.screenshot({ path: join(artifactsDir, 'sso-diff-first.png'), fullPage: true })
    await page.getByTestId('sso-push').click()
    await expect(page.getByTestId('sso-push-done')).toContainText(
      'http://www.okta.com/exkdoocxa1VmjpXmX697',
    )

    await pasteMetadata(page, fixture('google-workspace-2-signing-certs-rollover.xml'))
    await page.getByTestId('sso-push-start').click()
    await expect(diff).toHaveAttribute('data-first', 'false')
    await expect(page.getByTestId('diff-entity-id')).toHaveAttribute('data-changed', 'true')
    await expect(page.getByTestId('diff-cert-added')).toHaveCount(2)
    await expect(page.getByTestId('diff-cert-removed')).toHaveCount(1)
    await expect(
      page.locator('[data-testid="sso-warning"][data-code="sso.entity_id_changed"]'),
    ).toBeVisible()
    // Pushing needs an explicit confirmation while the diff warns.
    await expect(page.getByTestId('sso-push')).toBeDisabled()
    await page.screenshot({ path: join(artifactsDir, 'sso-diff-replace.png'), fullPage: true })
    await page.getByTestId('sso-push-confirm-check').check()
    await page.getByTestId('sso-push').click()
    await expect(page.getByTestId('sso-push-done')).toContainText('accounts.google.com')

    await page.getByTestId('nav-connection').click()
    await expect(page.getByTestId('overview-idp-entity-id')).toHaveText(
      'https://accounts.google.com/o/saml2?idpid=C023zw3x8',
    )
    await expect(page.getByTestId('overview-cert')).toHaveCount(2)
    await page.screenshot({ path: join(artifactsDir, 'connection-after-push.png'), fullPage: true })
  })

  test('warns before an expired certificate replaces a working one', async ({ page, webHost }) => {
    await page.goto(webHost.pageUrl)
    await pasteMetadata(page, fixture('entra-app-federationmetadata-expired-2023.xml'))
    await page.getByTestId('sso-push-start').click()
    const warning = page.locator(
      '[data-testid="sso-warning"][data-code="sso.expired_replaces_working"]',
    )
    await expect(warning).toHaveAttribute('data-severity', 'error')
    await expect(page.getByTestId('sso-push')).toBeDisabled()
    await page.screenshot({ path: join(artifactsDir, 'sso-diff-expired.png'), fullPage: true })
  })

  test('adds a saved connection with its admin key, tests it, edits the key, and removes it', async ({
    page,
    webHost,
  }) => {
    const backend = await startTestServer()
    try {
      await page.goto(webHost.pageUrl)
      await page.getByTestId('nav-connection').click()
      await page.getByTestId('add-connection').click()
      const form = page.getByTestId('connection-form-add')
      await form.getByTestId('connection-name').fill('staging')
      await form.getByTestId('connection-url').fill(backend.server.adminBaseUrl)
      await expect(form.getByTestId('connection-key')).toHaveAttribute('type', 'password')
      await form.getByTestId('connection-key').fill(TEST_ADMIN_KEY)
      await form.getByTestId('connection-save').click()

      const item = page.locator('[data-testid="connection-item"][data-name="staging"]')
      await expect(item).toHaveAttribute('data-active', 'true')
      await expect(item).toContainText('Admin key in keychain')
      await expect(page.getByTestId('test-result')).toContainText('Connected')
      await expect(page.getByTestId('tenant-id')).toHaveText(backend.server.demoTenantId)
      expect(await page.content()).not.toContain(TEST_ADMIN_KEY)
      await page.screenshot({ path: join(artifactsDir, 'connection-saved.png'), fullPage: true })

      await item.getByTestId('connection-edit').click()
      const edit = page.getByTestId('connection-form-edit')
      // The stored key is never sent back: the field starts empty.
      await expect(edit.getByTestId('connection-key')).toHaveValue('')
      await edit.getByTestId('connection-key').fill('not-the-admin-key')
      await edit.getByTestId('connection-save').click()
      await page.getByTestId('test-connection').click()
      await expect(page.getByTestId('test-error')).toHaveAttribute(
        'data-code',
        'backend.unauthorized',
      )
      await page.screenshot({
        path: join(artifactsDir, 'connection-wrong-key.png'),
        fullPage: true,
      })

      await item.getByTestId('connection-remove').click()
      await item.getByTestId('connection-remove-confirm').click()
      await expect(item).toHaveCount(0)
      await expect(
        page.locator('[data-testid="connection-item"][data-name="embedded"]'),
      ).toHaveAttribute('data-active', 'true')
    } finally {
      await backend.stop()
    }
  })
})
