import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { harnessReportSchema } from '../../../src-shared/harness.ts'

describe('the JSON report schema', () => {
  // A published JSON Schema for people who consume reports outside TypeScript. Generated from the
  // zod schema; this test keeps the file in step (update with `vitest -u` and bump schemaVersion
  // when a field is removed or retyped). Formatted by prettier so `prettier --check` agrees.
  it('matches the committed report.schema.json', async () => {
    const file = fileURLToPath(new URL('../report.schema.json', import.meta.url))
    const schema = {
      $id: 'https://scim-console.invalid/harness-report.v1.json',
      ...z.toJSONSchema(harnessReportSchema),
    }
    const text = await format(JSON.stringify(schema), {
      ...(await resolveConfig(file)),
      parser: 'json',
    })
    await expect(text).toMatchFileSnapshot(file)
  })
})
