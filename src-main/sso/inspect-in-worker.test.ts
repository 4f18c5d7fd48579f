import { describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { buildResponse, encodePost } from '../../test/support/saml-idp.ts'
import { inspectSamlInWorker } from './inspect-in-worker.ts'

const nothing = { idpEntityId: null, certificates: null, sp: null, now: new Date() }

describe('inspectSamlInWorker', () => {
  it('decodes a pasted response in a worker thread and answers the contract’s view', async () => {
    const text = encodePost(
      buildResponse({
        issuer: 'http://idp.test',
        audience: 'http://sp.test',
        acsUrl: 'http://sp.test/acs',
        nameId: 'ada@example.com',
      }),
    )
    const view = await inspectSamlInWorker({ text, expect: nothing })
    expect(view).toMatchObject({
      kind: 'response',
      valid: false,
      verified: false,
      assertion: { nameId: 'ada@example.com', audiences: ['http://sp.test'] },
    })
  })

  it('answers unreadable input with its reason, not an error', async () => {
    const view = await inspectSamlInWorker({ text: '<!DOCTYPE x><x/>', expect: nothing })
    expect(view.kind).toBe('unreadable')
  })

  it('stops the worker when the budget runs out (a 1 ms budget: no thread even starts in it)', async () => {
    const err = await inspectSamlInWorker({ text: 'x', expect: nothing }, { timeoutMs: 1 }).catch(
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('saml.read_failed')
    expect((err as AppError).hint).toMatch(/Paste only the SAMLResponse/)
  })
})
