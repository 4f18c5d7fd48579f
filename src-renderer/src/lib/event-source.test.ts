import { describe, expect, it } from 'vitest'
import { effectiveFilter, sourceLabel, testTrafficFilter } from './event-source.ts'

describe('event sources in the log', () => {
  it('labels each source compactly, the IdP by name', () => {
    expect(sourceLabel('idp', 'okta').short).toBe('Okta')
    expect(sourceLabel('idp', 'entra').short).toBe('Entra')
    expect(sourceLabel('idp', 'other').short).toBe('IdP')
    expect(sourceLabel('idp').short).toBe('IdP')
    expect(sourceLabel('harness').short).toBe('Test run')
    expect(sourceLabel('replay').short).toBe('Replay')
    expect(sourceLabel('other').short).toBe('Other')
  })

  it('hides test traffic by default, shows it on request, and lets a chosen source win', () => {
    expect(effectiveFilter({ statusClass: ['4xx'] }, false)).toEqual({
      statusClass: ['4xx'],
      source: ['idp', 'other', 'unknown'],
    })
    expect(effectiveFilter({ statusClass: ['4xx'] }, true)).toEqual({ statusClass: ['4xx'] })
    expect(effectiveFilter({ source: ['harness'] }, false)).toEqual({ source: ['harness'] })
    expect(testTrafficFilter({ user: 'a' })).toEqual({ user: 'a', source: ['harness', 'replay'] })
  })
})
