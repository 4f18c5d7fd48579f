import { expect, it } from 'vitest'
import { captureIo } from '../../test/support/cli-test-io.ts'
import { main } from './main.ts'

it('an unknown command is echoed without the token it may carry', async () => {
  const token = 'scimc_0123456789abcdefghijklmnopqrstuvwxyzABCDE'
  const c = captureIo({})
  expect(await main(['tokn', 'create', token], c.io)).toBe(2)
  expect(c.err()).toContain('cli.usage: unknown command "tokn create [REDACTED]"')
  expect(c.err()).not.toContain(token.slice('scimc_'.length))
})
