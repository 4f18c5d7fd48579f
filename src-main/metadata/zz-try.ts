import fs from 'node:fs'
import { parseIdpMetadata } from './parse-idp-metadata.ts'
const dir = '/work/shared/fixtures/idp-metadata/'
const rows = fs
  .readFileSync(dir + 'EXPECTED.tsv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'))
const now = new Date('2026-11-22T00:00:00Z')
for (const [file, usable, sel, eid, redir, post, n] of rows) {
  const t0 = performance.now()
  const m = parseIdpMetadata(fs.readFileSync(dir + file!), {
    source: 'file:' + file,
    now,
    entityId: sel || undefined,
  })
  const dt = (performance.now() - t0).toFixed(1)
  const r = m.ssoServices.find((s) => s.bindingName === 'HTTP-Redirect')?.location ?? ''
  const p = m.ssoServices.find((s) => s.bindingName === 'HTTP-POST')?.location ?? ''
  const good =
    (m.ok ? 'yes' : 'no') === usable &&
    (usable === 'no' ||
      (m.entityId === eid &&
        r === redir &&
        p === post &&
        String(m.signingCertificates.length) === n))
  console.log(
    good ? 'OK ' : 'BAD',
    dt.padStart(6),
    file,
    m.ok,
    m.entityId,
    m.signingCertificates.length,
    m.signature.signed,
    m.signature.valid,
    m.findings.map((f) => f.severity[0] + ':' + f.code).join(' '),
  )
}
