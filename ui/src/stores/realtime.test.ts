import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { dispatch, type EventHandlers } from '@/api/events'
import { applyConfig, createHandlers, pollLive } from '@/stores/realtime'
import { useHistoryStore } from '@/stores/history'
import { useQueueStore } from '@/stores/queue'
import { usePresetsStore } from '@/stores/resources'
import { useSystemStore } from '@/stores/system'
import { useToastsStore } from '@/stores/toasts'
import { flush, frame, makeConfig, makeItem, mockFetch } from '@/testing'

let handlers: EventHandlers

beforeEach(() => {
  setActivePinia(createPinia())
  handlers = createHandlers()
})

const send = (f: ReturnType<typeof frame>) => dispatch(f, handlers)

function showHistoryPage(items = [makeItem({ status: 'finished' })], total = items.length) {
  const history = useHistoryStore()
  history.items = items
  history.pagination = { page: 1, per_page: 2, total, total_pages: Math.ceil(total / 2), has_next: total > 2, has_prev: false }
  history.perPage = 2
  history.loaded = true
  return history
}

describe('queue events', () => {
  it('adds and updates items by _id, in place', () => {
    const queue = useQueueStore()
    const item = makeItem()
    send(frame('item_added', item))
    const row = queue.byId[item._id]
    send(frame('item_updated', { ...item, status: 'downloading', percent: 40, speed: 2048 }))
    expect(queue.count).toBe(1)
    expect(queue.byId[item._id]).toBe(row)
    expect(queue.byId[item._id]).toMatchObject({ status: 'downloading', percent: 40 })
    expect(queue.running).toBe(1)
  })

  it('moves a finished item to the first history page and counts it', () => {
    const queue = useQueueStore()
    const system = useSystemStore()
    const history = showHistoryPage()
    system.historyCount = 1
    const item = makeItem({ status: 'downloading' })
    send(frame('item_added', item))
    send(frame('item_moved', { to: 'history', preset: 'default', item: { ...item, status: 'finished' } }))
    expect(queue.has(item._id)).toBe(false)
    expect(history.items[0]?._id).toBe(item._id)
    expect(history.pagination.total).toBe(2)
    expect(system.historyCount).toBe(2)
    // The last update after the move carries the filename: it patches the history row only.
    send(frame('item_updated', { ...item, status: 'finished', filename: 'v.mp4' }))
    expect(queue.has(item._id)).toBe(false)
    expect(history.items[0]?.filename).toBe('v.mp4')
  })

  it('moves an item within the queue to its top or bottom, history untouched', () => {
    const system = useSystemStore()
    system.historyCount = 3
    const queue = useQueueStore()
    const [a, b, c] = [makeItem(), makeItem(), makeItem()]
    for (const item of [a, b, c]) send(frame('item_added', item))
    send(frame('item_moved', { to: 'queue', position: 'top', item: c }))
    expect(queue.items.map((i) => i._id)).toEqual([c._id, a._id, b._id])
    send(frame('item_moved', { to: 'queue', position: 'bottom', item: { ...c, title: 'renamed' } }))
    expect(queue.items.map((i) => i._id)).toEqual([a._id, b._id, c._id])
    expect(queue.byId[c._id]?.title).toBe('renamed')
    expect(system.historyCount).toBe(3)
  })

  it('counts a cancelled item once although two events announce it', () => {
    const system = useSystemStore()
    const item = makeItem()
    send(frame('item_added', item))
    send(frame('item_cancelled', { ...item, status: 'cancelled' }))
    send(frame('item_moved', { to: 'history', item: { ...item, status: 'cancelled' } }))
    expect(useQueueStore().count).toBe(0)
    expect(system.historyCount).toBe(1)
  })

  it('does not put a moved item on a page that does not show it', () => {
    const history = showHistoryPage()
    history.status = 'error'
    send(frame('item_moved', { to: 'history', item: makeItem({ status: 'finished' }) }))
    expect(history.items).toHaveLength(1)
    history.status = ''
    history.order = 'ASC'
    send(frame('item_moved', { to: 'history', item: makeItem({ status: 'finished' }) }))
    expect(history.items).toHaveLength(1)
    expect(history.pagination.total).toBe(2)
  })

  it('removes deleted items from the queue or the history', () => {
    const system = useSystemStore()
    const kept = makeItem({ status: 'finished' })
    const gone = makeItem({ status: 'finished' })
    const history = showHistoryPage([kept, gone])
    system.historyCount = 2
    const queued = makeItem()
    send(frame('item_added', queued))
    send(frame('item_deleted', queued))
    expect(useQueueStore().count).toBe(0)
    expect(system.historyCount).toBe(2)
    send(frame('item_deleted', gone))
    expect(history.items.map((i) => i._id)).toEqual([kept._id])
    expect(system.historyCount).toBe(1)
  })

  it('does not count a queue item this client deleted as leaving the history', async () => {
    mockFetch({ 'DELETE /api/history': {} })
    const system = useSystemStore()
    system.historyCount = 5
    const item = makeItem()
    send(frame('item_added', item))
    await useQueueStore().removeItems([item._id])
    send(frame('item_deleted', item))
    expect(system.historyCount).toBe(5)
  })
})

describe('other events', () => {
  it('follows paused and resumed', () => {
    const system = useSystemStore()
    send(frame('paused', { paused: true, at: 1 }))
    expect(system.paused).toBe(true)
    send(frame('resumed', { paused: false, at: 2 }))
    expect(system.paused).toBe(false)
  })

  it('toasts log events with the envelope title and message', () => {
    const toasts = useToastsStore()
    send(frame('log_error', {}, 'Invalid request', 'No URL provided.'))
    send(frame('log_success', {}, 'Done', 'All good.'))
    expect(toasts.list.map((t) => [t.level, t.title, t.message])).toEqual([
      ['error', 'Invalid request', 'No URL provided.'],
      ['success', 'Done', 'All good.'],
    ])
  })

  it('toasts a failed item_status', () => {
    send(frame('item_status', { status: 'error', msg: 'Unsupported URL' }))
    send(frame('item_status', { status: 'ok' }))
    expect(useToastsStore().list.map((t) => t.message)).toEqual(['Unsupported URL'])
  })

  it('refetches presets on config_update', async () => {
    mockFetch({ 'GET /api/presets/': { items: [{ id: 7, name: 'audio' }], pagination: {} } })
    send(frame('config_update', { feature: 'presets', action: 'create', data: { id: 7, name: 'audio' } }))
    await flush()
    expect(usePresetsStore().list.map((p) => p.name)).toEqual(['audio'])
  })

  it('reloads the configuration when the socket says connected', async () => {
    const item = makeItem()
    mockFetch({
      'GET /api/system/configuration': { app: { default_pagination: 10 }, paused: true, history_count: 4, queue: { [item._id]: item }, presets: [{ id: 1, name: 'default', default: true }], folders: [{ name: 'music', path: 'music' }] },
    })
    send(frame('connected', { sid: 's' }))
    await flush()
    expect(useSystemStore()).toMatchObject({ paused: true, historyCount: 4 })
    expect(useQueueStore().has(item._id)).toBe(true)
    expect(usePresetsStore().list).toHaveLength(1)
  })
})

describe('configuration and polling', () => {
  it('takes the queue keyed by _id', () => {
    const a = makeItem()
    const b = makeItem()
    applyConfig(makeConfig({ queue: { [a._id]: a } }))
    expect(useQueueStore().items.map((i) => i._id)).toEqual([a._id])
    applyConfig(makeConfig({ queue: { [b._id]: b } }))
    expect(useQueueStore().items.map((i) => i._id)).toEqual([b._id])
  })

  it('replaces the queue from /api/history/live and reloads history when its count moved', async () => {
    const a = makeItem()
    const { calls } = mockFetch({
      'GET /api/history/live': { queue: { [a._id]: a }, history_count: 3 },
      'GET /api/history': { items: [], pagination: { page: 1, per_page: 50, total: 3, total_pages: 1, has_next: false, has_prev: false } },
    })
    useQueueStore().upsert(makeItem())
    await pollLive()
    await flush()
    expect(useQueueStore().items.map((i) => i._id)).toEqual([a._id])
    expect(useSystemStore().historyCount).toBe(3)
    expect(calls.some((c) => c.url.pathname === '/api/history')).toBe(true)
  })
})
