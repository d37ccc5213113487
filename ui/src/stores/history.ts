import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'
import type { HistoryOrder, Item, Pagination } from '@/api/types'
import { mergeInto } from '@/stores/patch'

const EMPTY_PAGE: Pagination = { page: 1, per_page: 50, total: 0, total_pages: 0, has_next: false, has_prev: false }

/** `status` filter semantics of the API: "x" keeps status x, "!x" drops it, "" keeps all. */
export function matchesStatus(filter: string, status: string | null | undefined): boolean {
  if (!filter) return true
  if (filter.startsWith('!')) return (status ?? '') !== filter.slice(1)
  return (status ?? '') === filter
}

function withTotal(p: Pagination, total: number): Pagination {
  const totalPages = Math.max(1, Math.ceil(total / p.per_page))
  return { ...p, total, total_pages: totalPages, has_next: p.page < totalPages, has_prev: p.page > 1 }
}

/**
 * One page of the finished history. It never holds more than a page: live events patch the
 * page in view, prepend to the first page of the newest-first order, and adjust the totals.
 */
export const useHistoryStore = defineStore('history', () => {
  const items = ref<Item[]>([])
  const pagination = ref<Pagination>({ ...EMPTY_PAGE })
  const page = ref(1)
  const perPage = ref(50)
  const order = ref<HistoryOrder>('DESC')
  const status = ref('')
  const loading = ref(false)
  const error = ref('')
  const loaded = ref(false)
  let sequence = 0
  // Items counted into the totals since the last load (a cancel sends two events for one item).
  const counted = new Set<string>()
  let refillTimer: ReturnType<typeof setTimeout> | null = null

  const isEmpty = computed(() => loaded.value && items.value.length === 0)

  async function load(): Promise<void> {
    const mine = ++sequence
    loading.value = true
    try {
      const answer = await api.history({ page: page.value, per_page: perPage.value, order: order.value, status: status.value || undefined })
      if (mine !== sequence) return
      items.value = Array.isArray(answer?.items) ? answer.items : []
      counted.clear()
      const fallback: Pagination = { ...EMPTY_PAGE, per_page: perPage.value }
      pagination.value = { ...fallback, ...answer?.pagination }
      error.value = ''
      loaded.value = true
      if (page.value > 1 && items.value.length === 0 && pagination.value.total_pages < page.value) {
        page.value = Math.max(1, pagination.value.total_pages)
        await load()
      }
    } catch (err) {
      if (mine === sequence) error.value = err instanceof Error ? err.message : String(err)
    } finally {
      if (mine === sequence) loading.value = false
    }
  }

  function configure(options: { page?: number; perPage?: number; order?: HistoryOrder; status?: string }): Promise<void> {
    if (options.perPage !== undefined) perPage.value = Math.min(200, Math.max(1, options.perPage))
    if (options.order !== undefined) order.value = options.order
    if (options.status !== undefined) status.value = options.status
    page.value = options.page ?? 1
    return load()
  }

  function indexOf(id: string): number {
    return items.value.findIndex((item) => item._id === id)
  }

  /** Patches the item if it is on the page in view; answers whether it was. */
  function update(item: Item): boolean {
    const index = indexOf(item._id)
    const current = items.value[index]
    if (!current) return false
    mergeInto(current, item)
    return true
  }

  /** An item that just arrived in the history (moved from the queue, skipped, cancelled). */
  function arrived(item: Item): void {
    if (update(item) || counted.has(item._id) || !matchesStatus(status.value, item.status)) return
    counted.add(item._id)
    pagination.value = withTotal(pagination.value, pagination.value.total + 1)
    if (page.value === 1 && order.value === 'DESC') {
      items.value.unshift(item)
      if (items.value.length > perPage.value) items.value.pop()
    }
  }

  /** An item that left the history (deleted, or moved back to the queue). */
  function left(id: string): void {
    const index = indexOf(id)
    if (index < 0) return
    items.value.splice(index, 1)
    pagination.value = withTotal(pagination.value, Math.max(0, pagination.value.total - 1))
    // Items from the next page move up into the gap; an emptied last page goes back one.
    const shownUpTo = (page.value - 1) * perPage.value + items.value.length
    if (pagination.value.total > shownUpTo || (items.value.length === 0 && page.value > 1)) scheduleRefill()
  }

  // Deleting several items sends several events: refill the page once, after the burst.
  function scheduleRefill(): void {
    if (refillTimer) clearTimeout(refillTimer)
    refillTimer = setTimeout(() => {
      refillTimer = null
      void load()
    }, 300)
  }

  async function remove(ids: string[], removeFile: boolean): Promise<void> {
    await api.remove('done', ids, removeFile)
    ids.forEach(left)
  }

  return {
    items, pagination, page, perPage, order, status, loading, error, loaded, isEmpty,
    load, configure, update, arrived, left, remove,
  }
})
