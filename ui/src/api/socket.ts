// The live connection: a WebSocket that reconnects by itself with backoff, and polling of
// the live state every 10 s while it is down.
import { parseFrame, type Frame } from '@/api/events'

export type LinkState = 'connected' | 'reconnecting' | 'polling'

/** What the client uses of a WebSocket (the browser's, or a fake in tests). */
export interface SocketLike {
  onopen: ((event: unknown) => void) | null
  onclose: ((event: unknown) => void) | null
  onerror: ((event: unknown) => void) | null
  onmessage: ((event: { data: unknown }) => void) | null
  close(): void
}

export interface LiveSocketOptions {
  url: () => string
  onFrame: (frame: Frame) => void
  onState: (state: LinkState) => void
  /** Fetches and applies the live state over HTTP; rejects when the server cannot be reached. */
  poll: () => Promise<void>
  createSocket?: (url: string) => SocketLike
  pollInterval?: number
  /** Delay before reconnect attempt `n` (0-based), in ms. */
  backoff?: (attempt: number) => number
}

export const POLL_INTERVAL_MS = 10_000

export function defaultBackoff(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** attempt)
}

export class LiveSocket {
  private readonly options: Required<LiveSocketOptions>
  private socket: SocketLike | null = null
  private attempt = 0
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null
  private pollTimer: ReturnType<typeof setInterval> | null = null
  private stopped = true
  private current: LinkState = 'reconnecting'

  constructor(options: LiveSocketOptions) {
    this.options = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      pollInterval: POLL_INTERVAL_MS,
      backoff: defaultBackoff,
      ...options,
    }
  }

  get state(): LinkState {
    return this.current
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.setState('reconnecting')
    this.connect()
  }

  stop(): void {
    this.stopped = true
    this.clearReconnect()
    this.stopPolling()
    const socket = this.socket
    this.socket = null
    if (socket) {
      socket.onclose = null
      socket.close()
    }
  }

  /** Fetches the live state now; used after an action while the socket is down. */
  async pollNow(): Promise<void> {
    try {
      await this.options.poll()
      if (!this.stopped && this.current !== 'connected') this.setState('polling')
    } catch {
      if (!this.stopped && this.current !== 'connected') this.setState('reconnecting')
    }
  }

  private connect(): void {
    this.reconnectTimer = null
    let socket: SocketLike
    try {
      socket = this.options.createSocket(this.options.url())
    } catch {
      this.lost()
      return
    }
    this.socket = socket
    socket.onopen = () => {
      this.stopPolling()
      this.setState('connected')
    }
    socket.onmessage = (event) => {
      // The backoff resets only once the server has spoken, so a socket that opens and is
      // closed at once (e.g. refused after the upgrade) keeps backing off.
      this.attempt = 0
      if (typeof event.data !== 'string') return
      const frame = parseFrame(event.data)
      if (frame) this.options.onFrame(frame)
    }
    socket.onerror = () => {}
    socket.onclose = () => {
      if (this.socket === socket) this.lost()
    }
  }

  private lost(): void {
    this.socket = null
    if (this.stopped) return
    if (this.current === 'connected') this.setState('reconnecting')
    this.startPolling()
    this.clearReconnect()
    this.reconnectTimer = setTimeout(() => this.connect(), this.options.backoff(this.attempt))
    this.attempt += 1
  }

  private startPolling(): void {
    if (this.pollTimer) return
    this.pollTimer = setInterval(() => void this.pollNow(), this.options.pollInterval)
    void this.pollNow()
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer)
    this.pollTimer = null
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer)
    this.reconnectTimer = null
  }

  private setState(state: LinkState): void {
    if (state === this.current) return
    this.current = state
    this.options.onState(state)
  }
}
