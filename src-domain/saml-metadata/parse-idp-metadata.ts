import type { IdpMetadata } from '../../src-shared/metadata.ts'
import { buildIdpMetadata, type ParseOptions } from './idp-metadata-model.ts'
import { checkMetadataSignature } from './signature.ts'

// The model lives in idp-metadata-model.ts, which does not load xmldom and xml-crypto; this module
// is the whole parser, signature check included.
export { refusedMetadata, type ParseOptions } from './idp-metadata-model.ts'

/**
 * Parses IdP metadata into the display model. Pure and synchronous: never throws for anything
 * in the document; every problem becomes a finding, and `ok` is false when any is an error.
 */
export function parseIdpMetadata(xml: string | Uint8Array, opts: ParseOptions): IdpMetadata {
  return buildIdpMetadata(xml, opts, checkMetadataSignature)
}
