import { defineStore } from 'pinia'
import { computed, ref, type Ref } from 'vue'
import { ApiError, itemsOf, request } from '@/api/client'
import type { Paged } from '@/api/types'

export interface Entity {
  id: number | string
}

/**
 * A setup store over one of the API's list resources (`presets`, `conditions`, `dl_fields`):
 * entities keyed by id, a sorted list, and create/update/delete that keep it current even
 * before the matching `config_update` event arrives.
 */
export function defineCrudStore<T extends Entity>(
  name: string,
  path: string,
  label: string,
  compare: (a: T, b: T) => number,
) {
  return defineStore(name, () => {
    const byId = ref({}) as Ref<Record<string, T>>
    const list = computed(() => Object.values(byId.value).sort(compare))
    const loaded = ref(false)
    const loading = ref(false)
    /** Why the list could not be read (e.g. the server has no such route yet). */
    const error = ref('')

    function replaceAll(entities: T[]): void {
      const next: Record<string, T> = {}
      for (const entity of entities) {
        if (entity && entity.id !== undefined && entity.id !== null) next[String(entity.id)] = entity
      }
      byId.value = next
      loaded.value = true
    }

    function upsert(entity: T): void {
      byId.value = { ...byId.value, [String(entity.id)]: entity }
    }

    function drop(id: T['id']): void {
      const next = { ...byId.value }
      delete next[String(id)]
      byId.value = next
    }

    async function fetchAll(): Promise<void> {
      loading.value = true
      try {
        replaceAll(itemsOf(await request<Paged<T> | T[]>('GET', path, { query: { page: 1, per_page: 1000 } })))
        error.value = ''
      } catch (err) {
        replaceAll([])
        error.value = err instanceof ApiError && err.status === 404
          ? `This server does not offer ${label} yet.`
          : `Could not load ${label}: ${err instanceof Error ? err.message : String(err)}`
      } finally {
        loading.value = false
      }
    }

    async function create(body: Omit<T, 'id'>): Promise<T> {
      const created = await request<T>('POST', path, { body })
      if (created && created.id !== undefined) upsert(created)
      return created
    }

    async function update(id: T['id'], body: Omit<T, 'id'>): Promise<T> {
      const updated = await request<T>('PUT', `${path}${encodeURIComponent(String(id))}`, { body })
      if (updated && updated.id !== undefined) upsert(updated)
      return updated
    }

    async function remove(id: T['id']): Promise<void> {
      await request<unknown>('DELETE', `${path}${encodeURIComponent(String(id))}`)
      drop(id)
    }

    return { byId, list, loaded, loading, error, replaceAll, upsert, drop, fetchAll, create, update, remove }
  })
}
