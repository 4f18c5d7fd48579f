import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { artifactsDir, expect, fixturesDir, test } from './web-host-fixture.ts'

const fixture = (name: string): string => join(fixturesDir, name)

test.describe('metadata import through the web host', () => {
  test.beforeEach(async ({ page, webHost }) => {
    await page.goto(webHost.pageUrl)
    // The app lands on Onboarding while the tenant is not onboarded.
    await page.getByTestId('nav-metadata').click()
    await expect(page.getByTestId('metadata-screen')).toBeVisible()
  })

  test('imports a file with an expired certificate and shows the card and the finding', async ({
    page,
  }) => {
    const chooser = page.waitForEvent('filechooser')
    await page.getByTestId('choose-file').click()
    await (await chooser).setFiles(fixture('entra-app-federationmetadata-expired-2023.xml'))

    await expect(page.getByTestId('entity-id')).toHaveText(
      'https://sts.windows.net/76db22f8-ca3e-4d0a-b5c1-795947fc8943/',
    )
    await expect(page.getByTestId('metadata-status')).toHaveAttribute('data-ok', 'true')
    const cards = page.getByTestId('certificate-card')
    await expect(cards).toHaveCount(1)
    await expect(cards.first().getByTestId('cert-expiry-badge')).toHaveText('Expired')
    await expect(cards.first().getByTestId('cert-subject')).toContainText(
      'Microsoft Azure Federated SSO Certificate',
    )
    const expired = page.locator('[data-testid="finding"][data-code="metadata.cert_expired"]')
    await expect(expired).toHaveCount(1)
    await expect(expired).toHaveAttribute('data-severity', 'warning')
    await expect(page.getByTestId('sso-service')).toHaveCount(2)
    await page.screenshot({
      path: join(artifactsDir, 'metadata-file-expired-cert.png'),
      fullPage: true,
    })
  })

  test('imports pasted XML with two signing certificates', async ({ page }) => {
    await page.getByTestId('source-tab-paste').click()
    await page
      .getByTestId('paste-input')
      .fill(readFileSync(fixture('google-workspace-2-signing-certs-rollover.xml'), 'utf8'))
    await page.getByTestId('paste-submit').click()

    await expect(page.getByTestId('entity-id')).toHaveText(
      'https://accounts.google.com/o/saml2?idpid=C023zw3x8',
    )
    await expect(page.getByTestId('certificate-card')).toHaveCount(2)
    await expect(page.getByTestId('finding').first()).toBeVisible()
    await page.screenshot({
      path: join(artifactsDir, 'metadata-paste-two-certs.png'),
      fullPage: true,
    })
  })

  test('shows an SP metadata file as not usable, with the error first', async ({ page }) => {
    const chooser = page.waitForEvent('filechooser')
    await page.getByTestId('choose-file').click()
    await (await chooser).setFiles(fixture('sp-salesforce-not-idp.xml'))

    await expect(page.getByTestId('metadata-status')).toHaveAttribute('data-ok', 'false')
    const first = page.getByTestId('finding').first()
    await expect(first).toHaveAttribute('data-severity', 'error')
    await expect(first).toHaveAttribute('data-code', 'metadata.not_idp')
    await expect(page.getByTestId('certificate-card')).toHaveCount(0)
    await page.screenshot({ path: join(artifactsDir, 'metadata-sp-not-idp.png'), fullPage: true })
  })

  test('imports a file dropped on the drop zone', async ({ page }) => {
    const xml = readFileSync(fixture('okta-app-trial-org.xml'), 'utf8')
    // A real drop needs the OS; dispatching the same DOM drop event with a File exercises our code.
    await page.getByTestId('drop-zone').evaluate((zone, text) => {
      // This runs in the page; the e2e tsconfig has no DOM lib, hence the local types.
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } }
        File: new (parts: string[], name: string, opts: { type: string }) => unknown
        DragEvent: new (type: string, init: object) => Event
      }
      const data = new dom.DataTransfer()
      data.items.add(new dom.File([text], 'okta-dropped.xml', { type: 'text/xml' }))
      zone.dispatchEvent(
        new dom.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
      )
    }, xml)
    await expect(page.getByTestId('entity-id')).toHaveText(
      'http://www.okta.com/exkdoocxa1VmjpXmX697',
    )
    await expect(page.getByTestId('metadata-status')).toContainText('okta-dropped.xml')
  })

  test('lets the admin choose an IdP from an aggregate', async ({ page }) => {
    const chooser = page.waitForEvent('filechooser')
    await page.getByTestId('choose-file').click()
    await (await chooser).setFiles(fixture('edge-x509-double-encoded-pem-aggregate.xml'))

    const select = page.getByTestId('idp-chooser')
    await expect(select).toBeVisible()
    await select.selectOption('https://bar.example.com/access/saml/idp.xml')
    await expect(page.getByTestId('entity-id')).toHaveText(
      'https://bar.example.com/access/saml/idp.xml',
    )
    await expect(page.getByTestId('certificate-card')).toHaveCount(1)
    await expect(page.getByTestId('idp-chooser')).toHaveValue(
      'https://bar.example.com/access/saml/idp.xml',
    )
    await page.screenshot({
      path: join(artifactsDir, 'metadata-aggregate-chooser.png'),
      fullPage: true,
    })
  })

  test('refuses a DOCTYPE document and says why', async ({ page }) => {
    await page.getByTestId('source-tab-paste').click()
    await page
      .getByTestId('paste-input')
      .fill(readFileSync(fixture('edge-billion-laughs-doctype-response.xml'), 'utf8'))
    await page.getByTestId('paste-submit').click()
    await expect(page.getByTestId('metadata-status')).toHaveAttribute('data-ok', 'false')
    await expect(
      page.locator('[data-testid="finding"][data-code="metadata.dtd_forbidden"]'),
    ).toHaveCount(1)
    // The entities were never expanded: nothing of them reaches the result.
    await expect(page.getByTestId('metadata-result')).not.toContainText('lol')
  })

  test('takes the token out of the address bar and still works after a reload', async ({
    page,
  }) => {
    expect(page.url()).not.toContain('token=')
    await page.reload()
    await expect(page.getByTestId('app-version')).toContainText('web host')
  })

  test('looks right in dark mode', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.getByTestId('source-tab-paste').click()
    await page
      .getByTestId('paste-input')
      .fill(readFileSync(fixture('okta-app-oktapreview-post-first.xml'), 'utf8'))
    await page.getByTestId('paste-submit').click()
    await expect(page.getByTestId('entity-id')).toHaveText(
      'http://www.okta.com/exkppsa1qwuFV4D7z0h7',
    )
    await page.screenshot({ path: join(artifactsDir, 'metadata-dark.png'), fullPage: true })
  })
})
