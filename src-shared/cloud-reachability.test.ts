import { describe, expect, it } from 'vitest'
import { cloudReachabilityWarning, reachOf } from './cloud-reachability.ts'

describe('cloud reachability of URLs handed to the IdP', () => {
  it('tells loopback, private and public hosts apart', () => {
    expect(reachOf('http://127.0.0.1:8787/scim/v2')).toBe('loopback')
    expect(reachOf('http://localhost:5173/sso/t/saml/acs')).toBe('loopback')
    expect(reachOf('http://[::1]:8787/scim/v2')).toBe('loopback')
    expect(reachOf('https://10.0.0.5/scim/v2')).toBe('private')
    expect(reachOf('https://172.20.1.1/scim/v2')).toBe('private')
    expect(reachOf('https://192.168.1.10/scim/v2')).toBe('private')
    expect(reachOf('https://[fd00::1]/scim/v2')).toBe('private')
    expect(reachOf('https://172.32.0.1/scim/v2')).toBe('public')
    expect(reachOf('https://app.example.com/scim/v2')).toBe('public')
    expect(reachOf('not a url')).toBe('public')
  })

  it('warns with the fix for a URL the cloud cannot reach, and says nothing otherwise', () => {
    const warning = cloudReachabilityWarning('http://127.0.0.1:8787/scim/v2', 'SCIM base URL')
    expect(warning).toMatch(/SCIM base URL points at this computer/)
    expect(warning).toMatch(/clouds cannot reach it/)
    expect(warning).toMatch(/--public-url/)
    expect(cloudReachabilityWarning('https://10.1.2.3/acs', 'ACS URL')).toMatch(/a private network/)
    expect(cloudReachabilityWarning('https://app.example.com/scim/v2', 'SCIM base URL')).toBeNull()
  })
})
