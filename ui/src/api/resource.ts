// The client of one of the API's list resources (presets, conditions, download fields, and
// the tasks, notifications and keys to come): the same six routes under one path.
import { itemsOf, request } from '@/api/client'
import type { Entity, Paged } from '@/api/types'

export interface Resource<Entry extends Entity, Full extends Entity, Fields> {
  /** Every entry, in one page: these lists are short. */
  list(): Promise<Entry[]>
  /** The full object, secrets included: what an editor starts from. */
  get(id: Entry['id']): Promise<Full>
  create(fields: Fields): Promise<Full>
  /** Changes only the given fields: the server merges them into the stored object. */
  patch(id: Entry['id'], changes: Partial<Fields>): Promise<Full>
  remove(id: Entry['id']): Promise<unknown>
  /** The list entry of a full object, as the server would list it. */
  entry(full: Full): Entry
}

/**
 * `has_cookies` is the server's summary of a secret, never a field to store: one sent back
 * (top level, or in a condition's `extras`) is dropped here, whatever the caller built.
 */
export function writable<Fields>(body: Fields): Fields {
  if (!body || typeof body !== 'object') return body
  const { has_cookies: _flag, ...rest } = body as Record<string, unknown>
  const extras = rest.extras
  if (extras && typeof extras === 'object' && !Array.isArray(extras) && 'has_cookies' in extras) {
    const { has_cookies: _inner, ...kept } = extras as Record<string, unknown>
    rest.extras = kept
  }
  return rest as Fields
}

export function resource<Entry extends Entity, Full extends Entity = Entry, Fields = Omit<Full, 'id'>>(
  path: string,
  entry: (full: Full) => Entry = (full) => full as unknown as Entry,
): Resource<Entry, Full, Fields> {
  const one = (id: Entry['id']) => `${path}${encodeURIComponent(String(id))}`
  return {
    list: async () => itemsOf(await request<Paged<Entry> | Entry[]>('GET', path, { query: { page: 1, per_page: 1000 } })),
    get: (id) => request<Full>('GET', one(id)),
    create: (fields) => request<Full>('POST', path, { body: writable(fields) }),
    patch: (id, changes) => request<Full>('PATCH', one(id), { body: writable(changes) }),
    remove: (id) => request<unknown>('DELETE', one(id)),
    entry,
  }
}
