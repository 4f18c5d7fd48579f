import type { Router } from '../http/router.ts'
import type { AdminContext, AdminResult } from './admin-context.ts'
import { parseIdpMetadata } from '../../src-domain/saml-metadata/parse-idp-metadata.ts'
import type { IdpMetadata } from '../../src-shared/metadata.ts'
import { AdminHttpError, parseBody, tenantOf } from './admin-context.ts'
import { requestBodies } from './admin-schemas.ts'

function spValues(origin: string, tenantId: string) {
  return {
    acsUrl: `${origin}/sso/${tenantId}/saml/acs`,
    entityId: `${origin}/sso/${tenantId}/saml/metadata`,
    relayState: `${origin}/app/${tenantId}`,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    metadataUrl: `${origin}/sso/${tenantId}/saml/metadata`,
  }
}

function idpConfig(m: IdpMetadata, importedAt: string) {
  const redirect = m.ssoServices.find((s) => s.bindingName === 'HTTP-Redirect')
  const post = m.ssoServices.find((s) => s.bindingName === 'HTTP-POST')
  return {
    entityId: m.entityId,
    ssoUrl: (redirect ?? post)?.location ?? null,
    ssoServices: m.ssoServices.map((s) => ({ binding: s.binding, location: s.location })),
    signingCertificates: m.signingCertificates.map((c) => ({
      sha256Fingerprint: c.sha256Fingerprint,
      subject: c.subject,
      notAfter: c.notAfter,
    })),
    findings: m.findings,
    importedAt,
  }
}

function ssoView(ctx: AdminContext, tenantId: string) {
  const stored = ctx.deps.tenants.getSso(tenantId)
  return {
    tenantId,
    sp: spValues(ctx.origin, tenantId),
    idp: stored ? idpConfig(stored.idp as IdpMetadata, stored.importedAt) : null,
  }
}

/** The tenant's SAML setup: the SP values to give the IdP, and the IdP metadata it imported. */
export function ssoRoutes(r: Router<AdminContext, AdminResult>): void {
  r.on('GET', '/tenants/:tenantId/sso', (ctx) => ({
    status: 200,
    body: ssoView(ctx, tenantOf(ctx).id),
  }))
  r.on('PUT', '/tenants/:tenantId/sso', (ctx) => {
    const t = tenantOf(ctx)
    const input = parseBody(ctx, requestBodies.SsoUpdate, 'SSO update')
    const model = parseIdpMetadata(input.metadataXml, { source: 'admin-api' })
    if (!model.ok) {
      const errors = model.findings.filter((f) => f.severity === 'error')
      throw new AdminHttpError(
        422,
        'admin.metadata_invalid',
        `The IdP metadata is not usable for SSO: ${errors.map((f) => f.message).join(' ')}`.trim(),
        errors[0]?.hint ??
          'Download the IdP metadata again from the IdP\'s SAML app (Okta: "Identity Provider metadata").',
        { findings: model.findings },
      )
    }
    ctx.deps.tenants.putSso(t.id, model)
    return { status: 200, body: ssoView(ctx, t.id) }
  })
}
