import { describe, expect, it } from 'vitest'
import { parseSse } from '@/api/sse'

describe('parseSse', () => {
  it('reads named events, skips heartbeats and keeps an unfinished event for later', () => {
    const text = 'event: output\ndata: {"type":"stdout","line":"a"}\n\n: keep-alive\n\nevent: close\ndata: {"exit'
    const { events, rest } = parseSse(text)
    expect(events).toEqual([{ event: 'output', data: { type: 'stdout', line: 'a' } }])
    expect(parseSse(rest + 'code":0}\n\n').events).toEqual([{ event: 'close', data: { exitcode: 0 } }])
  })
})
