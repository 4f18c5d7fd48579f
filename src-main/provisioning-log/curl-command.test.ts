import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { curlCommand, shellQuote } from './export.ts'

const dir = mkdtempSync(join(tmpdir(), 'curl-inert-'))
const MARK = join(dir, 'pwned')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function ev(over: Partial<ProvisioningEvent>): ProvisioningEvent {
  return {
    seq: 1,
    tenantId: 't1',
    time: '2026-01-01T00:00:00.000Z',
    method: 'POST',
    path: '/Users',
    status: 201,
    durationMs: 1,
    resourceType: 'User',
    resourceId: null,
    userName: null,
    outcome: 'ok',
    error: null,
    tokenHashPrefix: null,
    requestBody: null,
    responseBody: null,
    ...over,
  } as ProvisioningEvent
}

/**
 * Runs the command in a real /bin/sh with `curl` defined as a function that prints its
 * arguments: what the shell would hand to curl, and whether anything else ran.
 */
function shellArgs(command: string): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}\n`
  const run = spawnSync('/bin/sh', ['-c', script], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', SCIM_TOKEN: 'tok' },
  })
  expect(run.status, run.stderr).toBe(0)
  return run.stdout.split('\0').slice(0, -1)
}

const HOSTILE = [
  `$(touch ${MARK})`,
  `\`touch ${MARK}\``,
  `'; touch ${MARK}; echo '`,
  `"; touch ${MARK}; echo "`,
  `\\'; touch ${MARK} #`,
  `x\ntouch ${MARK}\n`,
]

describe('copy as curl is inert', () => {
  it('refuses an event whose method is not an HTTP method (`GET $(id) #`), with a code and a hint', () => {
    for (const method of ['GET $(id) #', 'GET;id', 'GET\nid', '', 'GET `id`']) {
      let err: unknown
      try {
        curlCommand(ev({ method }))
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).code).toBe('log.bad_input')
      expect((err as AppError).hint).toBeTruthy()
    }
  })

  it('hands every hostile path and body to curl as one literal argument in a real shell, and runs nothing else', () => {
    for (const text of HOSTILE) {
      const cmd = curlCommand(
        ev({ method: 'PATCH', path: `/Users/${text}`, requestBody: { displayName: text } }),
        { scimBaseUrl: 'https://acme.example.com/scim/v2' },
      )
      const args = shellArgs(cmd)
      expect(args).toEqual([
        '-X',
        'PATCH',
        `https://acme.example.com/scim/v2/Users/${text}`,
        '-H',
        'Authorization: Bearer tok',
        '-H',
        'Accept: application/scim+json',
        '-H',
        'Content-Type: application/scim+json',
        '--data-raw',
        JSON.stringify({ displayName: text }),
      ])
    }
    expect(existsSync(MARK)).toBe(false)
  })

  it('quotes a method that is an HTTP token but holds shell characters (`GET|x`)', () => {
    const args = shellArgs(curlCommand(ev({ method: 'GET|touch' })))
    expect(args.slice(0, 2)).toEqual(['-X', 'GET|touch'])
    expect(shellArgs(curlCommand(ev({ method: "M'&*" })))[1]).toBe("M'&*")
    expect(existsSync(MARK)).toBe(false)
  })

  it('shellQuote round-trips any string through a POSIX shell word parser (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(unquotePosixWord(shellQuote(text))).toBe(text)
      }),
      { numRuns: Number(process.env.FC_NUM_RUNS ?? 300) },
    )
  })
})

/** The shell's rule for one word of single-quoted pieces and backslash-escaped characters. */
function unquotePosixWord(word: string): string {
  let out = ''
  let i = 0
  while (i < word.length) {
    const c = word[i]!
    if (c === "'") {
      const close = word.indexOf("'", i + 1)
      if (close < 0) throw new Error('unbalanced quote')
      out += word.slice(i + 1, close)
      i = close + 1
    } else if (c === '\\') {
      out += word[i + 1] ?? ''
      i += 2
    } else {
      throw new Error(`unquoted ${JSON.stringify(c)} at ${i}`)
    }
  }
  return out
}
