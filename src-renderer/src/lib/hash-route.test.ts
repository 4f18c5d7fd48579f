import { describe, expect, it } from 'vitest'
import { formatHashRoute, parseHashRoute } from './hash-route.ts'

const SCREENS = ['onboarding', 'log', 'sso-log', 'tokens']

describe('hash routes', () => {
  it('names every screen of the list, and nothing else', () => {
    for (const screen of SCREENS)
      expect(parseHashRoute(formatHashRoute({ screen }), SCREENS)).toEqual({ screen })
    expect(parseHashRoute('#/directory', SCREENS)).toBeNull()
    // A screen added to the list has its route with no other change.
    expect(parseHashRoute('#/directory', [...SCREENS, 'directory'])).toEqual({
      screen: 'directory',
    })
  })

  it('is not confused by the web host token or an empty hash', () => {
    expect(parseHashRoute('#token=abc', SCREENS)).toBeNull()
    expect(parseHashRoute('', SCREENS)).toBeNull()
    expect(parseHashRoute('#/', SCREENS)).toBeNull()
  })

  it('carries a user story with any characters in the userName', () => {
    const user = 'Jane.Doe+test/1@x.test'
    const hash = formatHashRoute({ screen: 'log', user })
    expect(hash).toBe('#/log/user/Jane.Doe%2Btest%2F1%40x.test')
    expect(parseHashRoute(hash, SCREENS)).toEqual({ screen: 'log', user })
  })

  it('a story on another screen, or a badly escaped one, opens just the screen', () => {
    expect(formatHashRoute({ screen: 'tokens', user: 'x' })).toBe('#/tokens')
    expect(parseHashRoute('#/tokens/user/x', SCREENS)).toEqual({ screen: 'tokens' })
    expect(parseHashRoute('#/log/user/%E0%A4%A', SCREENS)).toEqual({ screen: 'log' })
  })
})
