import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { captureIo } from '../../test/support/cli-test-io.ts'
import { commands } from './commands/index.ts'
import { main } from './main.ts'

it('an unknown command is echoed without the token it may carry', async () => {
  const token = 'scimc_0123456789abcdefghijklmnopqrstuvwxyzABCDE'
  const c = captureIo({})
  expect(await main(['tokn', 'create', token], c.io)).toBe(2)
  expect(c.err()).toContain('cli.usage: unknown command "tokn create [REDACTED]"')
  expect(c.err()).not.toContain(token.slice('scimc_'.length))
})

describe('the lazy command list', () => {
  it('describes each command exactly as the command it loads', async () => {
    for (const entry of commands) {
      const command = await entry.load()
      expect({ path: command.path, usage: command.usage, summary: command.summary }).toEqual({
        path: entry.path,
        usage: entry.usage,
        summary: entry.summary,
      })
    }
  })

  it('prints help without loading any command module or service', () => {
    // A real process, recording every module it loads (node:module hooks).
    const mainUrl = pathToFileURL(resolve(import.meta.dirname, 'main.ts')).href
    const script = `
      import { registerHooks } from 'node:module'
      const loaded = []
      registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context) } })
      const { main } = await import(${JSON.stringify(mainUrl)})
      const out = []
      const sink = { write: (s) => (out.push(String(s)), true) }
      const code = await main(['--help'], { stdout: sink, stderr: sink })
      const perCommand = await main(['web', '--help'], { stdout: sink, stderr: sink })
      process.stdout.write(JSON.stringify({ code, perCommand, out: out.join(''), loaded }))
    `
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    })
    expect(child.stderr).not.toMatch(/Error/)
    const result = JSON.parse(child.stdout) as {
      code: number
      perCommand: number
      out: string
      loaded: string[]
    }
    expect(result.code).toBe(0)
    expect(result.perCommand).toBe(0)
    expect(result.out).toContain('token create')
    expect(result.out).toContain('Usage: scim-console web [--port N]')
    const ours = result.loaded.filter((u) => u.startsWith('file:') && !u.includes('node_modules'))
    expect(ours.some((u) => u.endsWith('/src-main/cli/commands/index.ts'))).toBe(true)
    expect(ours.filter((u) => /\/cli\/commands\/(?!index\.ts)/.test(u))).toEqual([])
    expect(
      ours.filter((u) => /app-services|\/src-server\/|\/harness\/|main-context/.test(u)),
    ).toEqual([])
    // Not even a dependency: zod alone is ~95 files, built by errors.ts only when a command fails.
    expect(result.loaded.filter((u) => u.includes('/node_modules/'))).toEqual([])
  })
})
