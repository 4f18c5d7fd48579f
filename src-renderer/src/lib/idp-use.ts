/**
 * What a token's "Last used by the IdP" says when none of the IdP requests read used it: "Never"
 * only when those were all the IdP's requests the backend keeps.
 */
export function noIdpUseText(idp: { window: number; complete: boolean }): string {
  return idp.complete ? 'Never' : `Not in its last ${idp.window} requests`
}
