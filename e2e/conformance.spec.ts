import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { startServer, type RunningServer } from '../src-server/server.ts'
import { startFaultProxy, type FaultProxy } from '../test/support/fault-proxy.ts'
import { artifactsDir, expect, test } from './web-host-fixture.ts'

// A known token for the reference backend this test starts; it must never reach a report.
const DEMO_TOKEN = 'scim_e2e-conformance-0123456789abcdefghijklmnop'

let backend: RunningServer
let dataDir: string
// Added latency, so a run lasts long enough to watch its progress and to press Stop mid-way.
let slow: FaultProxy

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'scim-e2e-conformance-'))
  backend = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminKey: 'e2e-admin-key-0123456789abcdef',
    demoToken: DEMO_TOKEN,
  })
  slow = await startFaultProxy({ target: backend.scimBaseUrl, token: DEMO_TOKEN, latencyMs: 15 })
})

test.afterAll(async () => {
  await slow?.close()
  await backend?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function openScreen(page: Page, pageUrl: string): Promise<void> {
  await page.goto(pageUrl)
  await page.getByTestId('nav-conformance').click()
  await expect(page.getByTestId('conformance-screen')).toBeVisible()
}

async function fillRun(page: Page, url: string, token: string): Promise<void> {
  // The tenant's URL arrives first; the person then replaces it.
  await expect(page.getByTestId('conf-url')).toHaveValue(/\/scim\/v2$/)
  await page.getByTestId('conf-url').fill(url)
  await page.getByTestId('conf-token-pasted').click()
  await page.getByTestId('conf-token-paste').fill(token)
  await page.getByTestId('conf-profile-okta').click()
}

/** A loopback port nothing listens on (taken from the OS, then released): connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

const doneOf = async (page: Page): Promise<number> =>
  Number(await page.getByTestId('conf-progress').getAttribute('data-done'))

test.describe('the Conformance screen through the web host', () => {
  test('runs the okta profile with a pasted token: progress, zero failures, inspector, export', async ({
    page,
    webHost,
  }) => {
    await openScreen(page, webHost.pageUrl)
    // Prefilled from the active tenant (the web host's embedded backend).
    await expect(page.getByTestId('conf-url')).toHaveValue(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/)
    await page.screenshot({ path: join(artifactsDir, 'conformance-form.png'), fullPage: true })

    await fillRun(page, slow.baseUrl, DEMO_TOKEN)
    await page.getByTestId('conf-concurrency').fill('2')
    await page.getByTestId('conf-start').click()

    const progress = page.getByTestId('conf-progress')
    await expect(progress).toBeVisible()
    await expect.poll(() => doneOf(page)).toBeGreaterThan(0)
    const seen = await doneOf(page)
    await expect.poll(() => doneOf(page).catch(() => Infinity)).toBeGreaterThan(seen)
    await page.screenshot({ path: join(artifactsDir, 'conformance-running.png'), fullPage: true })

    const outcome = page.getByTestId('conf-outcome')
    await expect(outcome).toHaveAttribute('data-outcome', 'passed', { timeout: 25_000 })
    await expect(progress).toHaveCount(0)
    await expect(
      page.getByTestId('conf-total-counts').locator('[data-status="fail"]'),
    ).toHaveAttribute('data-count', '0')
    await expect(page.locator('[data-testid="conf-check"][data-status="fail"]')).toHaveCount(0)
    expect(await page.getByTestId('conf-area').count()).toBeGreaterThan(4)
    await expect(page.getByTestId('conf-cleanup')).toHaveAttribute('data-leftovers', '0')

    // Expand one check and open its first exchange.
    const create = page.locator('[data-testid="conf-check"][data-check-id="users.create.status"]')
    await create.getByTestId('conf-check-toggle').click()
    const details = create.getByTestId('conf-check-details')
    await expect(details).toBeVisible()
    await details.getByTestId('conf-exchange-toggle').first().click()
    const exchange = details.getByTestId('conf-exchange-detail')
    await expect(exchange.getByTestId('conf-request-line')).toContainText(/^(GET|POST) http/)
    await expect(exchange.getByTestId('conf-response-status')).toHaveText(/^\d{3} /)
    await expect(details).not.toContainText(DEMO_TOKEN)
    await exchange.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(artifactsDir, 'conformance-passed.png'), fullPage: true })
    await create.screenshot({ path: join(artifactsDir, 'conformance-inspector.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await create.screenshot({ path: join(artifactsDir, 'conformance-inspector-dark.png') })
    await page.getByRole('heading', { name: 'SCIM conformance' }).scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(artifactsDir, 'conformance-passed-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })

    const download = page.waitForEvent('download')
    await page.getByTestId('conf-export-json').click()
    const file = await (await download).path()
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(DEMO_TOKEN)
    const report = JSON.parse(text) as {
      outcome: string
      profile: string
      summary: { fail: number }
    }
    expect(report).toMatchObject({ outcome: 'passed', profile: 'okta', summary: { fail: 0 } })
    expect((await download).suggestedFilename()).toMatch(/^scim-conformance-okta-.*\.json$/)
  })

  test('Stop cancels the run and shows what the harness removed', async ({ page, webHost }) => {
    await openScreen(page, webHost.pageUrl)
    await fillRun(page, slow.baseUrl, DEMO_TOKEN)
    await page.getByTestId('conf-concurrency').fill('1')
    await page.getByTestId('conf-start').click()
    // Past the first checks the run has created users; stopping then must delete them.
    await expect.poll(() => doneOf(page)).toBeGreaterThan(8)
    await page.getByTestId('conf-stop').click()

    await expect(page.getByTestId('conf-outcome')).toHaveAttribute('data-outcome', 'cancelled', {
      timeout: 25_000,
    })
    const cleanup = page.getByTestId('conf-cleanup')
    await expect(cleanup).toHaveAttribute('data-leftovers', '0')
    expect(Number(await cleanup.getAttribute('data-removed'))).toBeGreaterThan(0)
    await page.screenshot({ path: join(artifactsDir, 'conformance-stopped.png'), fullPage: true })

    const res = await fetch(`${backend.scimBaseUrl}/Users?filter=userName%20sw%20%22scimc-%22`, {
      headers: { Authorization: `Bearer ${DEMO_TOKEN}` },
    })
    expect(((await res.json()) as { totalResults: number }).totalResults).toBe(0)
  })

  test('runs the rfc profile read-only with a keychain token the page never sees', async ({
    page,
  }) => {
    // A web host of its own: this run writes provisioning events and a token into the embedded
    // tenant, which the shared host's other specs read as their own clean slate.
    const host = await startPrivateWebHost()
    try {
      await runWithKeychainToken(page, host.pageUrl)
    } finally {
      await host.stop()
    }
  })

  test('an unreachable URL shows the could-not-run message with its hint', async ({
    page,
    webHost,
  }) => {
    await openScreen(page, webHost.pageUrl)
    await fillRun(page, `http://127.0.0.1:${await closedPort()}/scim/v2`, DEMO_TOKEN)
    await page.getByTestId('conf-start').click()

    const panel = page.getByTestId('conf-could-not-run')
    await expect(panel).toBeVisible({ timeout: 25_000 })
    await expect(page.getByTestId('conf-outcome')).toHaveAttribute('data-outcome', 'could_not_run')
    await expect(panel).toHaveAttribute('data-code', 'network.unreachable')
    await expect(page.getByTestId('conf-could-not-run-message')).toContainText('Could not reach')
    await expect(page.getByTestId('conf-could-not-run-hint')).toContainText('Check the URL')
    await expect(page.getByTestId('conf-export')).toHaveCount(0)
    await page.screenshot({
      path: join(artifactsDir, 'conformance-unreachable.png'),
      fullPage: true,
    })
  })

  test('a server with case-sensitive filters fails, with the failing check open and explained', async ({
    page,
    webHost,
  }) => {
    const broken = await startFaultProxy({
      target: backend.scimBaseUrl,
      token: DEMO_TOKEN,
      fault: 'filter-case-sensitive',
    })
    try {
      await openScreen(page, webHost.pageUrl)
      await fillRun(page, broken.baseUrl, DEMO_TOKEN)
      await page.getByTestId('conf-start').click()
      await expect(page.getByTestId('conf-outcome')).toHaveAttribute('data-outcome', 'failed', {
        timeout: 25_000,
      })
      const check = page.locator(
        '[data-testid="conf-check"][data-check-id="filters.user_name_case_insensitive"]',
      )
      await expect(check).toHaveAttribute('data-status', 'fail')
      const details = check.getByTestId('conf-check-details')
      await expect(details).toBeVisible()
      await expect(details.getByTestId('conf-check-impact')).toContainText('409')
      await expect(details.getByTestId('conf-check-fix')).toContainText('case-insensitive')
      await expect(
        page.locator('[data-area="filters"] [data-status="fail"][data-count]'),
      ).not.toHaveAttribute('data-count', '0')
      await check.scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(artifactsDir, 'conformance-failed.png') })
    } finally {
      await broken.close()
    }
  })

  test('a web site that is not a SCIM endpoint cannot be run, and says so', async ({
    page,
    webHost,
  }) => {
    const site = await startFaultProxy({
      target: backend.scimBaseUrl,
      token: DEMO_TOKEN,
      fault: 'html-site',
    })
    try {
      await openScreen(page, webHost.pageUrl)
      await fillRun(page, site.baseUrl, DEMO_TOKEN)
      await page.getByTestId('conf-start').click()
      const panel = page.getByTestId('conf-could-not-run')
      await expect(panel).toHaveAttribute('data-code', 'scim.not_scim', { timeout: 25_000 })
      await expect(page.getByTestId('conf-could-not-run-hint')).not.toBeEmpty()
    } finally {
      await site.close()
    }
  })

  test('refuses a malformed URL before sending anything', async ({ page, webHost }) => {
    await openScreen(page, webHost.pageUrl)
    await fillRun(page, 'app.example.com/scim', DEMO_TOKEN)
    await page.getByTestId('conf-start').click()
    await expect(page.getByTestId('conf-form-problem')).toContainText('SCIM base URL')
    await expect(page.getByTestId('conf-progress')).toHaveCount(0)
  })
})

/** Creates a token on the Tokens screen (into the keychain), then runs with it by id. */
async function runWithKeychainToken(page: Page, pageUrl: string): Promise<void> {
  await page.goto(pageUrl)
  await page.getByTestId('nav-tokens').click()
  await page.getByTestId('token-label').fill('Conformance e2e')
  await page.getByTestId('token-generate').click()
  const secretEl = page.getByTestId('new-token-secret')
  await expect(secretEl).toHaveText(/^scimc_/)
  const secret = (await secretEl.textContent())!
  await page.getByTestId('new-token-done').click()

  await page.getByTestId('nav-conformance').click()
  await expect(page.getByTestId('conf-token-keychain')).toHaveAttribute('aria-checked', 'true')
  const option = page.locator('[data-testid="conf-token-select"] option', {
    hasText: 'Conformance e2e',
  })
  await page.getByTestId('conf-token-select').selectOption((await option.getAttribute('value'))!)
  await page.getByTestId('conf-profile-rfc').click()
  await page.getByText('Read-only', { exact: true }).click()
  await expect(page.getByTestId('conf-read-only')).toBeChecked()
  await page.getByTestId('conf-start').click()

  await expect(page.getByTestId('conf-outcome')).toHaveAttribute('data-outcome', 'passed', {
    timeout: 25_000,
  })
  await expect(page.getByTestId('conf-outcome')).toContainText('read-only')
  // Read-only created nothing, so there is nothing to clean up.
  await expect(page.getByTestId('conf-cleanup')).toHaveCount(0)
  expect(await page.content()).not.toContain(secret)
  await page.screenshot({ path: join(artifactsDir, 'conformance-keychain-rfc.png') })
}

/**
 * `scim-console web` with a fresh data folder and its own embedded backend, as the shared
 * fixture starts it, for a test whose writes must not reach the shared host's tenant.
 */
async function startPrivateWebHost(): Promise<{ pageUrl: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-e2e-conformance-host-'))
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '../bin/scim-console.mjs'), 'web', '--port', '0', '--data', dir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SCIM_CONSOLE_SECRET_STORE: 'memory' },
    },
  )
  const stderr: string[] = []
  child.stderr!.setEncoding('utf8').on('data', (c: string) => stderr.push(c))
  const exited = new Promise((r) => child.once('exit', r))
  const pageUrl = await new Promise<string>((done, fail) => {
    let out = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const match = /^Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/m.exec(out)
      if (match) done(match[1]!)
    })
    void exited.then(() => fail(new Error(`scim-console web exited early:\n${stderr.join('')}`)))
  })
  return {
    pageUrl,
    async stop() {
      child.kill('SIGINT')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
