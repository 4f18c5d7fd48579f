import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { queryParams, requestBodies } from './admin-schemas.ts'

// js-yaml arrives with openapi-typescript (the generator of the console's client), so the
// contract test needs no dependency of its own.
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown }

interface OpenApi {
  paths: Record<
    string,
    Record<string, { operationId?: string; parameters?: Param[] }> & { parameters?: Param[] }
  >
  components: {
    schemas: Record<string, Record<string, unknown>>
    parameters: Record<string, Param>
  }
}
interface Param {
  $ref?: string
  name: string
  in: string
  schema?: Record<string, unknown>
}

const spec = yaml.load(
  readFileSync(resolve(import.meta.dirname, '../../resources/admin-api.openapi.yaml'), 'utf8'),
) as OpenApi

function withoutDocs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDocs)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      if (k === 'description' || k === '$schema') continue
      out[k] = withoutDocs(v)
    }
    return out
  }
  return value
}

function operation(id: string): { parameters: Param[] } {
  for (const item of Object.values(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || !op || typeof op !== 'object' || Array.isArray(op)) continue
      if ((op as { operationId?: string }).operationId === id) {
        const all = [
          ...(item.parameters ?? []),
          ...((op as { parameters?: Param[] }).parameters ?? []),
        ]
        return {
          parameters: all.map((p) =>
            p.$ref ? spec.components.parameters[p.$ref.split('/').pop()!]! : p,
          ),
        }
      }
    }
  }
  throw new Error(`no operation ${id}`)
}

describe('the zod mirror matches resources/admin-api.openapi.yaml', () => {
  for (const [name, schema] of Object.entries(requestBodies)) {
    it(`request body ${name}`, () => {
      const fromZod = withoutDocs(z.toJSONSchema(schema))
      const fromYaml = withoutDocs(spec.components.schemas[name])
      expect(fromZod).toEqual(fromYaml)
    })
  }

  for (const [id, schema] of Object.entries(queryParams)) {
    it(`query parameters of ${id}`, () => {
      const yamlParams = operation(id).parameters.filter((p) => p.in === 'query')
      expect(Object.keys(schema.shape).sort()).toEqual(yamlParams.map((p) => p.name).sort())
      for (const p of yamlParams) {
        const enumValues = (p.schema?.enum as string[] | undefined) ?? undefined
        const field = schema.shape[p.name as keyof typeof schema.shape] as z.ZodType
        if (enumValues) {
          for (const v of enumValues)
            expect(field.safeParse(v).success, `${p.name}=${v}`).toBe(true)
          expect(field.safeParse('not-in-the-enum').success).toBe(false)
        }
        if (p.schema?.type === 'integer') {
          expect(field.safeParse(String(p.schema.minimum)).success).toBe(true)
          expect(field.safeParse(String(Number(p.schema.maximum) + 1)).success).toBe(false)
          expect(field.safeParse(String(Number(p.schema.minimum) - 1)).success).toBe(false)
        }
      }
    })
  }
})
