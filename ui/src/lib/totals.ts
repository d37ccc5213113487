// Whole-queue figures for the Downloads page: combined speed, items left, time left.
import type { Item } from '@/api/types'

export interface QueueTotals {
  /** Bytes per second of every running download together. */
  speed: number
  /** Items still in the queue (running or waiting). */
  left: number
  /** Items downloading now. */
  active: number
  /** Bytes still to download among items whose size is known. */
  remaining: number
  /** Items whose size is not known yet (not started, or the site did not say). */
  unsized: number
  /** Seconds until the known bytes are in at the combined speed; null while nothing moves. */
  eta: number | null
}

const finite = (value: number | null | undefined): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0

export function queueTotals(items: readonly Item[]): QueueTotals {
  let speed = 0
  let active = 0
  let remaining = 0
  let unsized = 0
  for (const item of items) {
    if (item.status === 'downloading') {
      active += 1
      speed += finite(item.speed)
    }
    const total = finite(item.total_bytes)
    if (total) remaining += Math.max(0, total - finite(item.downloaded_bytes))
    else unsized += 1
  }
  // When no size is known (live streams, sites that do not say), the longest of the
  // running items' own ETAs stands in.
  let eta: number | null = null
  if (speed > 0 && remaining > 0) eta = remaining / speed
  else if (active > 0) {
    const etas = items.filter((i) => i.status === 'downloading').map((i) => finite(i.eta))
    eta = etas.some(Boolean) ? Math.max(...etas) : null
  }
  return { speed, left: items.length, active, remaining, unsized, eta }
}
