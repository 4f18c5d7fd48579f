import { z } from 'zod'
import { idpMetadataSchema } from '../metadata.ts'

/**
 * What the renderer may hand to `metadata.inspect`. Deliberately narrower than MetadataSource
 * (src-shared/metadata.ts): no `{ kind: 'file', path }`, so a compromised renderer cannot make main
 * read an arbitrary path. Files reach main as text (drop, browser picker) or through the native
 * dialog (`metadata.pickFile`), which reads the file the person chose.
 */
export const rendererMetadataSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: z.string().min(1),
    name: z.string().max(500).optional(),
  }),
  z.object({ kind: z.literal('url'), url: z.string().min(1).max(8192) }),
])

const emptyInput = z.object({}).strict()

export const metadataChannels = {
  'metadata.inspect': {
    input: z.object({
      source: rendererMetadataSourceSchema,
      entityId: z.string().min(1).optional(),
    }),
    output: idpMetadataSchema,
  },
  'metadata.pickFile': {
    input: emptyInput,
    // The chosen file's content, read in main with the same size cap as any metadata; null when
    // the person cancels.
    output: z.object({ name: z.string(), text: z.string() }).nullable(),
  },
} as const
