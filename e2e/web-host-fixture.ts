import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { test as base } from '@playwright/test'

const root = resolve(import.meta.dirname, '..')
export const fixturesDir = resolve(root, '../shared/fixtures/idp-metadata')
export const artifactsDir = resolve(root, 'e2e/artifacts')

export interface RunningWebHost {
  /** Page URL including the per-run token in the fragment. */
  pageUrl: string
  origin: string
}

/**
 * Starts the real `scim-console web` command (real services, built renderer) once per worker and
 * reads the URL it prints. The build itself is the caller's job (`npm test` builds first).
 */
export const test = base.extend<object, { webHost: RunningWebHost }>({
  webHost: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      if (!existsSync(resolve(root, 'out/renderer/index.html'))) {
        throw new Error(
          'No built renderer in out/renderer. Run `npx electron-vite build` before the e2e tests.',
        )
      }
      const child = spawn(
        process.execPath,
        [resolve(root, 'bin/scim-console.mjs'), 'web', '--port', '0'],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      const stderr: string[] = []
      child.stderr.setEncoding('utf8').on('data', (c: string) => stderr.push(c))
      const pageUrl = await readPageUrl(child, stderr)
      await use({ pageUrl, origin: new URL(pageUrl).origin })
      child.kill('SIGINT')
      await new Promise((r) => child.once('exit', r))
    },
    { scope: 'worker' },
  ],
})

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

export { expect } from '@playwright/test'
