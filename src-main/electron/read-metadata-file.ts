import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError } from '../../src-shared/errors.ts'

/** Same cap as any metadata source (issue 2): larger files are refused before they are read. */
export const MAX_METADATA_FILE_BYTES = 50 * 1024 * 1024

export async function readMetadataFile(
  path: string,
  maxBytes = MAX_METADATA_FILE_BYTES,
): Promise<{ name: string; text: string }> {
  const name = basename(path)
  try {
    const info = await stat(path)
    if (info.size > maxBytes) {
      throw new AppError(
        'metadata.too_large',
        `${name} is ${mb(info.size)}; the limit is ${mb(maxBytes)}.`,
        {
          hint: 'IdP metadata is normally a few kilobytes; check that you chose the right file.',
        },
      )
    }
    return { name, text: await readFile(path, 'utf8') }
  } catch (err) {
    if (err instanceof AppError) throw err
    throw new AppError('metadata.read_failed', `Could not read ${name}.`, {
      hint: 'Check that the file exists and that you may read it.',
      cause: err,
    })
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
