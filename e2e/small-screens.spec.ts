import type { Page } from '@playwright/test'
import { oktaAssign, scimCall, type ScimCaller } from '../test/support/log-test-support.ts'
import { focusedAttr, focusInside, tabTo } from './keyboard-support.ts'
import { layoutProblems } from './screens-support.ts'
import { defaultTarget, expect, hostCall, startWebHost, test } from './web-host-fixture.ts'

/**
 * Issue #13 item 9 through the web host: screens have URLs (set on navigation, restored on
 * reload, back and forward, a user's story linkable), and at 1024×700 the log keeps its columns
 * with the event detail open (a panel over the table), its rows open from the keyboard, and its times carry
 * the full date in their title.
 */

let host: Awaited<ReturnType<typeof startWebHost>>
let scim: ScimCaller

test.describe.configure({ mode: 'serial' })

// Its own web host: the routes start from a fresh console and the log holds only these requests.
test.beforeAll(async () => {
  host = await startWebHost()
  const target = await defaultTarget(host)
  const created = await hostCall<{ secret: string }>(host, 'tokens.create', {
    ...target,
    label: 'Okta small screens',
  })
  const { scimBaseUrl } = await hostCall<{ scimBaseUrl: string }>(host, 'tokens.list', target)
  scim = (path, init = {}) => scimCall(scimBaseUrl, created.secret, path, init)
  for (const user of ['jane.doe@acme.com', 'bartholomew.longname-example@acme-corporation.com'])
    await oktaAssign(scim, user)
})
test.afterAll(async () => {
  await host?.stop()
})

const current = (page: Page, id: string) =>
  expect(page.getByTestId(`nav-${id}`)).toHaveAttribute('aria-current', 'page')

test('screens have URLs: set when navigating, restored on reload, back and forward, a story linkable', async ({
  page,
}) => {
  await page.goto(host.pageUrl)
  // The web host's token leaves the address; the route takes its place.
  await expect(page).toHaveURL(/#\/onboarding$/)
  // Each navigation entry is a link to its screen's address (copy it, open it in a new tab).
  await expect(page.getByTestId('nav-tokens')).toHaveAttribute('href', '#/tokens')
  await page.getByTestId('nav-tokens').click()
  await expect(page).toHaveURL(/#\/tokens$/)
  await page.getByTestId('nav-log').click()
  await expect(page).toHaveURL(/#\/log$/)
  await expect(page.getByTestId('log-screen')).toBeVisible()

  await page.reload()
  await current(page, 'log')
  await expect(page.getByTestId('log-screen')).toBeVisible()
  await page.goBack()
  await current(page, 'tokens')
  await expect(page).toHaveURL(/#\/tokens$/)
  await page.goForward()
  await current(page, 'log')

  // One user's story has its own address; closing it goes back to the log's.
  await page.getByTestId('story-search').fill('jane.doe@acme.com')
  await page.getByTestId('story-search-submit').click()
  await expect(page).toHaveURL(/#\/log\/user\/jane\.doe%40acme\.com$/)
  await page.getByTestId('user-story').getByRole('button', { name: 'Close' }).click()
  await expect(page).toHaveURL(/#\/log$/)
  await page.goBack()
  await expect(page.getByTestId('user-story')).toHaveAttribute('data-query', 'jane.doe@acme.com')

  // A link typed or pasted into the address bar opens that screen and story.
  const origin = new URL(host.pageUrl).origin
  await page.goto(`${origin}/#/sso-log`)
  await current(page, 'sso-log')
  await expect(page.getByTestId('sso-log-screen')).toBeVisible()
  await page.goto(`${origin}/#/log/user/${encodeURIComponent('jane.doe@acme.com')}`)
  await current(page, 'log')
  await expect(page.getByTestId('user-story')).toHaveAttribute('data-query', 'jane.doe@acme.com')
  await expect(page.getByTestId('story-verdict')).toBeVisible()
  // An unknown screen in the address leaves the person where they are, and says where that is.
  await page.goto(`${origin}/#/no-such-screen`)
  await current(page, 'log')
  await expect(page).toHaveURL(/#\/log\/user\/jane\.doe%40acme\.com$/)
})

test('at 1024×700 the log opens rows from the keyboard into a panel over the table and keeps its columns readable', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-log').click()
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live')
  const long = 'bartholomew.longname-example@acme-corporation.com'
  const row = page.locator(`[data-testid="log-row"][data-user="${long}"][data-status="201"]`)
  await expect(row).toBeVisible()

  // Keyboard only: Tab into the grid, End to the newest row, Enter opens it.
  await tabTo(page, 'log-row')
  await page.keyboard.press('End')
  const seq = await focusedAttr(page, 'data-seq')
  await page.keyboard.press('Enter')
  const detail = page.getByTestId('event-detail')
  await expect(detail).toHaveAttribute('data-seq', seq!)
  await expect.poll(() => focusInside(page, 'event-detail')).toBe(true)
  // A panel over the table's right part: the table keeps its full width, and the toolbar above
  // (export, pause) stays within reach.
  await expect(detail).toHaveCSS('position', 'absolute')
  await page.getByTestId('export-csv').click({ trial: true })

  // The columns beside it are whole words, not "/..", "b", "J.".
  const cells = row.locator('[role=gridcell]')
  // The source badge sits before the name in the same cell.
  await expect(cells.nth(4).locator('.log-user-name')).toHaveText(long)
  for (const i of [2, 4])
    expect((await cells.nth(i).boundingBox())!.width, `column ${i}`).toBeGreaterThanOrEqual(120)
  const problems = await layoutProblems(page)
  expect(problems).toEqual([])

  // Escape closes it and the row has the focus again.
  await page.keyboard.press('Escape')
  await expect(detail).toHaveCount(0)
  await expect.poll(() => focusedAttr(page, 'data-seq')).toBe(seq)
})

test('log times show the date in full in their title, and today’s rows the time of day', async ({
  page,
}) => {
  await page.goto(`${host.pageUrl}`)
  await page.getByTestId('nav-log').click()
  const time = page.getByTestId('log-row').first().locator('[role=gridcell]').first()
  const iso = (await time.getAttribute('title'))!
  expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/)
  // Rows from today (the only ones here) show the time of day to the millisecond.
  await expect(time).toHaveText(new Date(iso).toISOString().slice(11, 23))
})

test('at 1024×700 the token actions stay inside their card', async ({ page }) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.goto(host.pageUrl)
  await page.getByTestId('nav-tokens').click()
  const table = page.getByTestId('token-table')
  await expect(table.getByTestId('token-row')).not.toHaveCount(0)
  const card = (await page.locator('.card', { has: table }).boundingBox())!
  for (const button of await table.getByRole('button').all()) {
    const box = (await button.boundingBox())!
    expect(box.x + box.width, (await button.textContent()) ?? '').toBeLessThanOrEqual(
      card.x + card.width,
    )
  }
  expect(await layoutProblems(page)).toEqual([])
})
