import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Page } from '@playwright/test'
import { layoutProblems, oktaMetadata, seedRealisticTenant } from './screens-support.ts'
import { artifactsDir, expect, startWebHost, test } from './web-host-fixture.ts'

/**
 * Every screen in the navigation (read from the page, so a new screen is included) at 1024×700
 * and 1400×900, light and dark, over a realistic tenant: each must fit its window (no sideways
 * overflow, no clipped heading, button or label), and its screenshot goes to e2e/artifacts/screens
 * (docs/screenshots/screens with UPDATE_SCREENSHOTS=1) under a stable name, to be looked at. Also
 * shot: the log with an event's detail open and with a user's story, the onboarding's SCIM step,
 * the metadata screen with a file, and a conformance report.
 */

// The README's copies are refreshed on request (UPDATE_SCREENSHOTS=1), so a plain test run leaves
// the working tree clean; every run writes its own set into e2e/artifacts/screens.
const OUT = process.env.UPDATE_SCREENSHOTS
  ? resolve(import.meta.dirname, '../docs/screenshots/screens')
  : resolve(artifactsDir, 'screens')
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1400, height: 900 },
] as const
const SCHEMES = ['light', 'dark'] as const

let host: Awaited<ReturnType<typeof startWebHost>>

test.describe.configure({ mode: 'serial' })

// Its own web host: the tenant it fills is what the screenshots show.
test.beforeAll(async () => {
  test.setTimeout(180_000)
  mkdirSync(OUT, { recursive: true })
  host = await startWebHost()
  await seedRealisticTenant(host)
})
test.afterAll(async () => {
  await host?.stop()
})

/** The screen's content has arrived: its heading, and no "loading…" line left. */
async function settled(page: Page): Promise<void> {
  await expect(page.locator('main h1').first()).toBeVisible()
  await expect(page.locator('main .pending[role=status]:not(.ob-waiting)')).toHaveCount(0)
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: resolve(OUT, `${name}.png`) })
  // Soft: every screen is shot and judged, and the report lists all that do not fit.
  const problems = await layoutProblems(page)
  expect.soft(problems, `${name}: ${JSON.stringify(problems, null, 1)}`).toEqual([])
}

test('the layout probe sees a card that overflows and a clipped button', async ({ page }) => {
  await page.setViewportSize(SIZES[0])
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-tokens').click()
  await settled(page)
  expect(await layoutProblems(page)).toEqual([])
  await page.evaluate(`(() => {
    const card = document.querySelector('main .card')
    const wide = document.createElement('div')
    wide.style.cssText = 'min-width: 3000px; flex: none'
    wide.textContent = 'too wide'
    card.appendChild(wide)
    const b = document.createElement('button')
    b.style.cssText = 'width: 40px; overflow: hidden; white-space: nowrap'
    b.textContent = 'A button whose label is cut'
    card.appendChild(b)
  })()`)
  const problems = await layoutProblems(page)
  expect(problems.map((p) => p.what)).toEqual(
    expect.arrayContaining(['overflows sideways', 'clipped text']),
  )
})

for (const scheme of SCHEMES) {
  for (const size of SIZES) {
    test(`every screen fits ${size.width}×${size.height}, ${scheme}`, async ({ page }) => {
      test.setTimeout(120_000)
      await page.emulateMedia({ colorScheme: scheme })
      await page.setViewportSize(size)
      await page.goto(host.pageUrl)
      const ids = await page
        .locator('nav .nav-item')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace(/^nav-/, '')))
      expect(ids.length).toBeGreaterThanOrEqual(7)
      const suffix = `${size.width}x${size.height}-${scheme}`
      for (const id of ids) {
        await page.getByTestId(`nav-${id}`).click()
        await expect(page).toHaveURL(new RegExp(`#/${id}$`))
        await settled(page)
        await shoot(page, `${id}-${suffix}`)
      }

      // The log with an event's detail open (a panel over the table below 1400px), then one user's story.
      await page.getByTestId('nav-log').click()
      // Okta's refused create (a title sent as a list), found as an admin would: by the user.
      await page.getByTestId('filter-user').fill('bob.smith@acme.com')
      await page.getByTestId('filter-user').press('Enter')
      await page.locator('[data-testid="log-row"][data-status="400"]').click()
      await expect(page.getByTestId('event-detail').getByTestId('detail-status')).toBeVisible()
      await shoot(page, `log-detail-${suffix}`)
      await page.keyboard.press('Escape')
      await expect(page.getByTestId('event-detail')).toHaveCount(0)
      await page.getByTestId('filter-clear').click()
      await page.getByTestId('story-search').fill('jane.doe@acme.com')
      await page.getByTestId('story-search-submit').click()
      await expect(page.getByTestId('story-verdict')).toBeVisible()
      await expect(page).toHaveURL(/#\/log\/user\/jane\.doe%40acme\.com$/)
      await shoot(page, `log-story-${suffix}`)

      // The onboarding's SCIM step with both setup paths, on the App Integration Wizard path.
      await page.getByTestId('nav-onboarding').click()
      await page.getByTestId('ob-step-scim').click()
      await page.getByTestId('ob-app-aiw-http-header').check()
      await expect(page.getByTestId('ob-okta-scim-steps')).toContainText('HTTP Header')
      await shoot(page, `onboarding-scim-${suffix}`)

      // The metadata screen with Okta's file inspected.
      await page.getByTestId('nav-metadata').click()
      await page.getByTestId('source-tab-paste').click()
      await page.getByTestId('paste-input').fill(oktaMetadata())
      await page.getByTestId('paste-submit').click()
      await expect(page.getByTestId('metadata-status')).toBeVisible()
      await shoot(page, `metadata-inspected-${suffix}`)

      // A conformance run's report with one check and its first exchange open.
      await page.getByTestId('nav-conformance').click()
      await page.getByTestId('conf-start').click()
      await expect(page.getByTestId('conf-outcome')).toHaveAttribute('data-outcome', 'passed', {
        timeout: 60_000,
      })
      const check = page.locator('[data-testid="conf-check"][data-check-id="users.create.status"]')
      await check.getByTestId('conf-check-toggle').click()
      await check.getByTestId('conf-exchange-toggle').first().click()
      await expect(check.getByTestId('conf-request-line')).toBeVisible()
      await shoot(page, `conformance-report-${suffix}`)
    })
  }
}
