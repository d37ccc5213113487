// Server-sent events read from a fetch() body: the console's stream is a POST, which
// EventSource cannot send. The log stream, a GET, uses EventSource (it reconnects by itself).
import { ApiError, apiUrl } from '@/api/client'

export interface SseEvent {
  event: string
  data: unknown
}

/** Splits SSE text into events; returns the events and the unfinished rest. */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = []
  const blocks = buffer.replace(/\r\n/g, '\n').split('\n\n')
  const rest = blocks.pop() ?? ''
  for (const block of blocks) {
    let event = 'message'
    const data: string[] = []
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue // a heartbeat
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
    }
    if (!data.length) continue
    try {
      events.push({ event, data: JSON.parse(data.join('\n')) })
    } catch {
      events.push({ event, data: data.join('\n') })
    }
  }
  return { events, rest }
}

/** POSTs `body` and calls `onEvent` for each event of the answer until it ends or `signal`
 * aborts (which closes the connection: the server then stops what it was running). */
export async function postEvents(
  path: string, body: unknown, onEvent: (event: SseEvent) => void, signal?: AbortSignal,
): Promise<void> {
  const response = await fetch(apiUrl(path), {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  })
  if (!response.ok || !response.body) {
    const text = await response.text()
    let message = text || response.statusText || 'Request failed'
    try {
      const parsed = JSON.parse(text) as { error?: string }
      if (parsed.error) message = parsed.error
    } catch { /* not JSON: the text itself */ }
    throw new ApiError(response.status, message)
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    const parsed = parseSse(buffer + value)
    buffer = parsed.rest
    parsed.events.forEach(onEvent)
  }
}
