// Helpers for the unit tests: fake HTTP answers, items and event frames.
import { vi } from 'vitest'
import type { Envelope, EventName, EventPayloads, Frame } from '@/api/events'
import type { Item } from '@/api/types'

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

export interface FetchCall {
  method: string
  url: URL
  body: unknown
  init: RequestInit
}

/**
 * Replaces `fetch` with a router: `routes` maps "METHOD path" (path without the query) to
 * an answer or a function giving one. Unknown routes answer 404 like a server without them.
 */
export function mockFetch(routes: Record<string, unknown | ((call: FetchCall) => Response | unknown)>) {
  const calls: FetchCall[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input))
    const method = init.method ?? 'GET'
    const call = { method, url, body: init.body ? JSON.parse(String(init.body)) : undefined, init }
    calls.push(call)
    const route = routes[`${method} ${url.pathname}`]
    if (route === undefined) return jsonResponse(404, { error: 'Not Found' })
    const answer = typeof route === 'function' ? (route as (c: FetchCall) => unknown)(call) : route
    return answer instanceof Response ? answer : jsonResponse(200, answer)
  })
  vi.stubGlobal('fetch', fn)
  return { fn, calls }
}

let counter = 0
export function makeItem(overrides: Partial<Item> = {}): Item {
  counter += 1
  return {
    _id: `id-${counter}`,
    id: `vid${counter}`,
    url: `https://example.com/watch?v=${counter}`,
    title: `Video ${counter}`,
    status: null,
    preset: 'default',
    auto_start: true,
    ...overrides,
  }
}

export function envelope<E extends EventName>(event: E, data: EventPayloads[E], title: string | null = null, message: string | null = null): Envelope<E> {
  return { id: 'ev1', created_at: '2024-01-01T00:00:00Z', event, title, message, data }
}

export function frame<E extends EventName>(event: E, data: EventPayloads[E], title: string | null = null, message: string | null = null): Frame {
  return { event, data: envelope(event, data, title, message) } as unknown as Frame
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve()
  await new Promise((resolve) => setTimeout(resolve, 0))
}
