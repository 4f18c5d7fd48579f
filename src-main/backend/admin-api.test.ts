import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

it('the committed admin-api.d.ts matches resources/admin-api.openapi.yaml', () => {
  const script = fileURLToPath(new URL('../../scripts/gen-admin-api.mjs', import.meta.url))
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' })
  expect(r.stderr).toBe('')
  expect(r.status).toBe(0)
})
