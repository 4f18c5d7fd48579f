import { describe, expect, it } from 'vitest'
import { SseParser, type SseMessage } from './sse-parser.ts'

function parse(chunks: string[]): {
  messages: SseMessage[]
  comments: string[]
  retries: number[]
} {
  const messages: SseMessage[] = []
  const comments: string[] = []
  const retries: number[] = []
  const p = new SseParser({
    message: (m) => messages.push(m),
    comment: (c) => comments.push(c),
    retry: (r) => retries.push(r),
  })
  for (const c of chunks) p.feed(c)
  return { messages, comments, retries }
}

describe('SseParser', () => {
  it('reads id, event and data of each message', () => {
    const { messages } = parse(['id: 7\nevent: provisioning\ndata: {"seq":7}\n\n'])
    expect(messages).toEqual([{ id: '7', event: 'provisioning', data: '{"seq":7}' }])
  })

  it('joins multi-line data with newlines and defaults the event type to "message"', () => {
    const { messages } = parse(['data: a\ndata: b\n\n'])
    expect(messages).toEqual([{ id: undefined, event: 'message', data: 'a\nb' }])
  })

  it('handles a message split anywhere across chunks, including between CR and LF', () => {
    const text = 'id: 1\r\nevent: provisioning\r\ndata: {"x":1}\r\n\r\nid: 2\r\ndata: y\r\n\r\n'
    for (let cut = 1; cut < text.length; cut++) {
      const { messages } = parse([text.slice(0, cut), text.slice(cut)])
      expect(messages.map((m) => [m.id, m.data])).toEqual([
        ['1', '{"x":1}'],
        ['2', 'y'],
      ])
    }
  })

  it('reports comments (heartbeats) and retry hints, and dispatches nothing for them', () => {
    const { messages, comments, retries } = parse(['retry: 2000\n\n: heartbeat\n\n'])
    expect(messages).toEqual([])
    expect(comments).toEqual(['heartbeat'])
    expect(retries).toEqual([2000])
  })

  it('does not carry an id over to the next message', () => {
    const { messages } = parse(['id: 5\ndata: a\n\ndata: b\n\n'])
    expect(messages.map((m) => m.id)).toEqual(['5', undefined])
  })

  it('keeps an incomplete trailing message until its blank line arrives', () => {
    const p = parse(['id: 9\ndata: partial'])
    expect(p.messages).toEqual([])
  })
})
