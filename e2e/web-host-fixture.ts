import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test as base, type Page } from '@playwright/test'
import { IDP_METADATA_DIR } from '../test/fixtures/index.ts'
export { IDP_METADATA_DIR as fixturesDir }

const root = resolve(import.meta.dirname, '..')
export const artifactsDir = resolve(root, 'e2e/artifacts')

export interface RunningWebHost {
  /** Page URL including the per-run token in the fragment. */
  pageUrl: string
  origin: string
  /** The fresh data folder this host runs with (settings, embedded backend). */
  dataDir: string
}

/**
 * Starts the real `scim-console web` command (real services, built renderer) once per worker and
 * reads the URL it prints. The build itself is the caller's job (`npm test` builds first).
 */
export const test = base.extend<object, { webHost: RunningWebHost }>({
  webHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const host = await startWebHost()
      await use(host)
      await host.stop()
    },
    { scope: 'worker' },
  ],
})

/**
 * The same fixture for a spec that counts what happens in the tenant (events, users): declaring
 * `webHost` again gives this test type its own worker fixture, so Playwright runs such a spec in
 * a worker of its own, with a web host and embedded backend no other spec has written to.
 */
export const isolatedTest = base.extend<object, { webHost: RunningWebHost }>({
  webHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const host = await startWebHost()
      await use(host)
      await host.stop()
    },
    { scope: 'worker' },
  ],
})

/**
 * Starts the real `scim-console web` command (real services, built renderer) with a fresh data
 * folder, and reads the URL it prints. The worker fixture uses it; a spec that must begin from an
 * empty data folder (onboarding) starts its own.
 */
export async function startWebHost(): Promise<RunningWebHost & { stop(): Promise<void> }> {
  // E2E_RENDERER_DIR points at a private copy of a build, so a rebuild of out/renderer by
  // someone else during the run cannot pull the page out from under the tests.
  const rendererDir = resolve(root, process.env.E2E_RENDERER_DIR ?? 'out/renderer')
  if (!existsSync(resolve(rendererDir, 'index.html'))) {
    throw new Error(
      `No built renderer in ${rendererDir}. Run \`npx electron-vite build\` before the e2e tests.`,
    )
  }
  // A fresh data folder, and the in-memory secret store: browser tests never read or write the
  // machine's keychain (the keychain has its own test layer), and the UI must then show its
  // memory-store banner.
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-console-e2e-'))
  const child = spawn(
    process.execPath,
    [
      resolve(root, 'bin/scim-console.mjs'),
      'web',
      '--port',
      '0',
      '--data',
      dataDir,
      '--renderer-dir',
      rendererDir,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SCIM_CONSOLE_SECRET_STORE: 'memory' },
    },
  )
  const stderr: string[] = []
  child.stderr!.setEncoding('utf8').on('data', (c: string) => stderr.push(c))
  const pageUrl = await readPageUrl(child, stderr)
  return {
    pageUrl,
    origin: new URL(pageUrl).origin,
    dataDir,
    async stop() {
      child.kill('SIGINT')
      await new Promise((r) => child.once('exit', r))
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

function readPageUrl(child: ChildProcess, stderr: string[]): Promise<string> {
  return new Promise((done, fail) => {
    let out = ''
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      const match = /^Open: (http:\/\/127\.0\.0\.1:\d+\/#token=\S+)$/m.exec(out)
      if (match) done(match[1]!)
    })
    child.once('exit', (code) =>
      fail(
        new Error(
          `scim-console web exited with ${code} before printing its URL:\n${stderr.join('')}`,
        ),
      ),
    )
  })
}

/** Calls the web host's contract API as the page does (same per-run token, same envelope). */
export async function hostCall<T>(
  host: RunningWebHost,
  channel: string,
  input: unknown,
): Promise<T> {
  const token = new URL(host.pageUrl).hash.replace(/^#token=/, '')
  const res = await fetch(`${host.origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  })
  const body = (await res.json()) as { ok: boolean; value?: T; error?: unknown }
  if (!body.ok) throw new Error(`${channel} failed: ${JSON.stringify(body.error)}`)
  return body.value as T
}

/** The web host's default connection and tenant, as the page starts with. */
export async function defaultTarget(
  host: RunningWebHost,
): Promise<{ connection: string; tenantId: string }> {
  const list = await hostCall<{
    connections: Array<{ name: string; defaultTenantId: string | null }>
    defaultConnection: string
  }>(host, 'connections.list', {})
  const connection = list.defaultConnection
  return {
    connection,
    tenantId: list.connections.find((c) => c.name === connection)!.defaultTenantId!,
  }
}

/**
 * The window made as tall as the page, then a plain screenshot into e2e/artifacts: a full-page
 * capture would paint the one-viewport-tall sticky sidebar halfway down.
 */
export async function screenshotPage(page: Page, file: string): Promise<void> {
  const size = page.viewportSize()!
  const height = await page.evaluate<number>('document.documentElement.scrollHeight')
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) })
  await page.screenshot({ path: join(artifactsDir, file) })
  await page.setViewportSize(size)
}

export { expect } from '@playwright/test'
