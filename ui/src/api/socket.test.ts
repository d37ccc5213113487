import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Frame } from '@/api/events'
import { defaultBackoff, LiveSocket, type LinkState, type SocketLike } from '@/api/socket'

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  onopen: ((event: unknown) => void) | null = null
  onclose: ((event: unknown) => void) | null = null
  onerror: ((event: unknown) => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  closed = false

  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }

  open(): void { this.onopen?.({}) }
  receive(data: unknown): void { this.onmessage?.({ data: JSON.stringify(data) }) }
  drop(): void { this.onclose?.({}) }
  close(): void { this.closed = true }
}

function setup(poll = vi.fn(async () => {})) {
  const states: LinkState[] = []
  const frames: Frame[] = []
  const live = new LiveSocket({
    url: () => 'ws://h/ws?_=1',
    onFrame: (f) => frames.push(f),
    onState: (s) => states.push(s),
    poll,
    createSocket: (url) => new FakeSocket(url),
  })
  return { live, states, frames, poll }
}

const latest = () => FakeSocket.all[FakeSocket.all.length - 1]!

beforeEach(() => {
  FakeSocket.all = []
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

describe('LiveSocket', () => {
  it('connects, reports connected and hands parsed frames on', () => {
    const { live, states, frames } = setup()
    live.start()
    latest().open()
    latest().receive({ event: 'paused', data: { id: 'e', created_at: '', event: 'paused', title: null, message: null, data: { paused: true, at: 1 } } })
    latest().receive({ event: 'unknown_event', data: {} })
    expect(states).toEqual(['connected'])
    expect(frames).toHaveLength(1)
    expect(frames[0]?.event).toBe('paused')
    live.stop()
  })

  it('polls every 10 s while the socket is down, saying so, and stops once it is back', async () => {
    const { live, states, poll } = setup()
    live.start()
    latest().open()
    latest().drop()
    expect(live.state).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(0)
    expect(poll).toHaveBeenCalledTimes(1)
    expect(live.state).toBe('polling')

    // Reconnect attempts fail for a while: polling goes on every 10 s.
    for (let i = 0; i < 3; i += 1) {
      await vi.advanceTimersByTimeAsync(10_000)
      latest().drop()
    }
    expect(poll).toHaveBeenCalledTimes(4)

    await vi.advanceTimersByTimeAsync(30_000)
    latest().open()
    expect(live.state).toBe('connected')
    const polls = poll.mock.calls.length
    await vi.advanceTimersByTimeAsync(60_000)
    expect(poll).toHaveBeenCalledTimes(polls)
    expect(states).toEqual(['connected', 'reconnecting', 'polling', 'connected'])
    live.stop()
  })

  it('shows reconnecting when polling fails too', async () => {
    const { live } = setup(vi.fn(async () => { throw new Error('down') }))
    live.start()
    latest().drop()
    await vi.advanceTimersByTimeAsync(0)
    expect(live.state).toBe('reconnecting')
    live.stop()
  })

  it('reconnects with growing delays, reset once the server speaks', async () => {
    const { live } = setup()
    live.start()
    latest().drop() // attempt 0: retry after 1 s
    await vi.advanceTimersByTimeAsync(999)
    expect(FakeSocket.all).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSocket.all).toHaveLength(2)
    latest().drop() // attempt 1: 2 s
    await vi.advanceTimersByTimeAsync(1999)
    expect(FakeSocket.all).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSocket.all).toHaveLength(3)
    latest().open()
    latest().receive({ event: 'connected', data: { id: '', created_at: '', event: 'connected', title: null, message: null, data: { sid: 'x' } } })
    latest().drop() // back to 1 s
    await vi.advanceTimersByTimeAsync(1000)
    expect(FakeSocket.all).toHaveLength(4)
    live.stop()
  })

  it('stops cleanly: closes the socket and no timer fires', async () => {
    const { live, poll } = setup()
    live.start()
    latest().drop()
    live.stop()
    const sockets = FakeSocket.all.length
    await vi.advanceTimersByTimeAsync(120_000)
    expect(FakeSocket.all).toHaveLength(sockets)
    expect(poll.mock.calls.length).toBeLessThanOrEqual(1)
  })

  it('caps the backoff at 30 s', () => {
    expect([0, 1, 2, 5, 10].map(defaultBackoff)).toEqual([1000, 2000, 4000, 30_000, 30_000])
  })
})
