// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { downloadFile } from './download.ts'

afterEach(() => vi.restoreAllMocks())

// happy-dom makes the blob URL for real; only the click is intercepted, since a test cannot
// answer a browser's save dialog.

describe('downloadFile', () => {
  it('clicks a link to a blob of the text under the file name, then takes the link away', async () => {
    const made = vi.spyOn(URL, 'createObjectURL')
    const clicked: { href: string; download: string; attached: boolean }[] = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push({ href: this.href, download: this.download, attached: this.isConnected })
    })

    const name = downloadFile({ text: 'a,b\n1,2\n', mimeType: 'text/csv', fileName: 'log.csv' })

    expect(name).toBe('log.csv')
    const blob = made.mock.calls[0]![0] as Blob
    const url = made.mock.results[0]!.value as string
    expect(url).toMatch(/^blob:/)
    expect(clicked).toEqual([{ href: url, download: 'log.csv', attached: true }])
    expect(document.querySelectorAll('a').length).toBe(0)
    expect(blob.type).toBe('text/csv')
    expect(await blob.text()).toBe('a,b\n1,2\n')
  })
})
