// Helpers for the unit tests: fake HTTP answers, items and event frames.
import { vi } from 'vitest'
import type { Envelope, EventName, EventPayloads, Frame } from '@/api/events'
import type { AppInfo, Item, SystemConfig } from '@/api/types'

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
    extractor: 'generic',
    url: `https://example.com/watch?v=${counter}`,
    title: `Video ${counter}`,
    description: null,
    status: null,
    preset: 'default',
    folder: '',
    template: '',
    cli: '',
    auto_start: true,
    timestamp: 1_700_000_000_000_000_000 + counter,
    datetime: 'Tue, 14 Nov 2023 22:13:20 +0000',
    is_live: false,
    live_in: null,
    error: null,
    msg: null,
    percent: null,
    speed: null,
    eta: null,
    downloaded_bytes: null,
    total_bytes: null,
    file_size: null,
    filename: null,
    postprocessor: null,
    is_archivable: false,
    is_archived: false,
    archive_id: null,
    is_playlist: false,
    extras: {
      duration: null,
      thumbnail: null,
      is_premiere: false,
      release_in: null,
      live_in: null,
      channel: null,
      uploader: null,
      playlist: null,
      playlist_id: null,
      playlist_index: null,
      entries_queued: null,
      entries_total: null,
    },
    sidecar: {},
    options: {},
    conditions: [],
    ...overrides,
  }
}

export function makeAppInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    download_path: '/downloads',
    base_path: '/',
    default_pagination: 50,
    max_workers: 2,
    max_workers_per_extractor: 2,
    default_preset: 'default',
    console_enabled: false,
    browser_enabled: false,
    browser_control_enabled: false,
    remove_files: false,
    max_playlist_items: 500,
    auth_enabled: false,
    app_version: '0.1.0',
    version: '0.1.0',
    ytdlp_version: '2025.1.1',
    started: 1_700_000_000,
    is_native: false,
    file_logging: true,
    check_for_updates: true,
    new_version: null,
    output_template: '%(title)s.%(ext)s',
    instance_title: null,
    ui_update_title: true,
    simple_mode: false,
    keep_archive: true,
    tasks_handler_timer: '15 */1 * * *',
    dev_mode: false,
    ...overrides,
  }
}

export function makeConfig(overrides: Partial<SystemConfig> = {}): SystemConfig {
  return {
    app: makeAppInfo(),
    presets: [],
    dl_fields: [],
    paused: false,
    folders: [],
    history_count: 0,
    queue: {},
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
