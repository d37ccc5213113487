import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'
import type { Item, Queue } from '@/api/types'
import { queueTotals } from '@/lib/totals'
import { mergeInto } from '@/stores/patch'

/** What a queue row's buttons ask for. */
export type QueueAction = 'start' | 'start_now' | 'top' | 'bottom' | 'pause' | 'cancel' | 'delete'

export function queueItems(queue: Queue | Item[] | null | undefined): Item[] {
  if (!queue) return []
  return Array.isArray(queue) ? queue : Object.values(queue)
}

/** The live queue, keyed by `_id`, in the order the items arrived. */
export const useQueueStore = defineStore('queue', () => {
  const byId = ref<Record<string, Item>>({})
  const items = computed(() => Object.values(byId.value))
  const count = computed(() => items.value.length)
  const running = computed(() =>
    items.value.filter((item) => ['downloading', 'preparing', 'postprocessing'].includes(item.status ?? '')).length,
  )
  const queued = computed(() => count.value - running.value)
  const totals = computed(() => queueTotals(items.value))

  function has(id: string): boolean {
    return id in byId.value
  }

  function upsert(item: Item): void {
    const existing = byId.value[item._id]
    if (existing) mergeInto(existing, item)
    else byId.value[item._id] = item
  }

  /** Updates an item only if it is queued; answers whether it was. */
  function update(item: Item): boolean {
    const existing = byId.value[item._id]
    if (!existing) return false
    mergeInto(existing, item)
    return true
  }

  /** Puts a queued item first or last (the server moved it); keys keep insertion order. */
  function moveTo(item: Item, position: 'top' | 'bottom'): void {
    const { [item._id]: existing, ...rest } = byId.value
    if (existing) mergeInto(existing, item)
    const moved = existing ?? item
    byId.value = position === 'top' ? { [item._id]: moved, ...rest } : { ...rest, [item._id]: moved }
  }

  function remove(id: string): boolean {
    if (!has(id)) return false
    delete byId.value[id]
    return true
  }

  /** Takes the server's whole queue (start-up, reconnect, polling). */
  function replaceAll(queue: Queue | Item[] | null | undefined): void {
    const incoming = queueItems(queue).filter((item) => item && typeof item._id === 'string')
    const keep = new Set(incoming.map((item) => item._id))
    for (const id of Object.keys(byId.value)) {
      if (!keep.has(id)) delete byId.value[id]
    }
    incoming.forEach(upsert)
  }

  const start = (ids: string[]) => api.start(ids)
  const startNow = (ids: string[]) => api.startNow(ids)
  const move = (ids: string[], to: 'top' | 'bottom') => api.move(ids, to)
  const pause = (ids: string[]) => api.pause(ids)
  const cancel = (ids: string[]) => api.cancel(ids)

  // Ids this client deleted from the queue, so their later item_deleted events are not
  // mistaken for deletions from the history.
  const deletedHere = new Set<string>()

  async function removeItems(ids: string[]): Promise<void> {
    await api.remove('queue', ids, false)
    for (const id of ids) {
      if (remove(id)) deletedHere.add(id)
    }
  }

  /** Answers whether this client deleted the item from the queue (once per id). */
  function consumeDeleted(id: string): boolean {
    return deletedHere.delete(id)
  }

  return {
    byId, items, count, running, queued, totals, has, upsert, update, moveTo, remove, replaceAll,
    start, startNow, move, pause, cancel, removeItems, consumeDeleted,
  }
})
