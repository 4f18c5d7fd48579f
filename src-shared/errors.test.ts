import { describe, expect, it } from 'vitest'
import { AppError, toErrorData } from './errors.ts'
import { REDACTED } from './redact.ts'

describe('toErrorData', () => {
  it('redacts credentials quoted in an error message, hint or details', () => {
    const err = new AppError(
      'network.tls',
      'The TLS connection to https://admin:pw-in-url@scim.example.com/admin/v1 failed.',
      {
        hint: 'The server answered: {"password":"hunter2hunter2"}',
        details: { header: 'Authorization: Bearer scimc_0123456789abcdefghij', status: 502 },
      },
    )
    const data = toErrorData(err)
    expect(data).toEqual({
      code: 'network.tls',
      message: `The TLS connection to https://admin:${REDACTED}@scim.example.com/admin/v1 failed.`,
      hint: `The server answered: {"password":"${REDACTED}"}`,
      details: { header: `Authorization: Bearer ${REDACTED}`, status: 502 },
    })
  })

  it('never passes on the message or stack of an unexpected error', () => {
    const data = toErrorData(new Error('boom at https://u:p@h/'))
    expect(data.code).toBe('internal')
    expect(JSON.stringify(data)).not.toContain('boom')
  })
})
