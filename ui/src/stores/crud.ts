import { defineStore } from 'pinia'
import { computed, ref, type Ref } from 'vue'
import { ApiError } from '@/api'
import type { Resource } from '@/api/resource'
import type { Entity } from '@/api/types'

/**
 * A setup store over one of the API's list resources (`presets`, `conditions`, `dl_fields`):
 * list entries keyed by id, a sorted list, and create/patch/delete that keep it current even
 * before the matching `config_update` event arrives. It holds list entries (`has_cookies`,
 * never the cookies); `read` fetches the full object for an editor without storing it.
 */
export function defineCrudStore<Entry extends Entity, Full extends Entity, Fields>(
  name: string,
  resource: Resource<Entry, Full, Fields>,
  label: string,
  compare: (a: Entry, b: Entry) => number,
) {
  return defineStore(name, () => {
    const byId = ref({}) as Ref<Record<string, Entry>>
    const list = computed(() => Object.values(byId.value).sort(compare))
    const loaded = ref(false)
    const loading = ref(false)
    /** Why the list could not be read (e.g. the server has no such route yet). */
    const error = ref('')

    function replaceAll(entries: Entry[]): void {
      const next: Record<string, Entry> = {}
      for (const entry of entries) {
        if (entry && entry.id !== undefined && entry.id !== null) next[String(entry.id)] = entry
      }
      byId.value = next
      loaded.value = true
    }

    function upsert(entry: Entry): void {
      byId.value = { ...byId.value, [String(entry.id)]: entry }
    }

    function drop(id: Entry['id']): void {
      const next = { ...byId.value }
      delete next[String(id)]
      byId.value = next
    }

    async function fetchAll(): Promise<void> {
      loading.value = true
      try {
        replaceAll(await resource.list())
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

    /** The full object, secrets included, as the editor needs it. */
    function read(id: Entry['id']): Promise<Full> {
      return resource.get(id)
    }

    function stored(full: Full): Full {
      if (full && full.id !== undefined) upsert(resource.entry(full))
      return full
    }

    async function create(fields: Fields): Promise<Full> {
      return stored(await resource.create(fields))
    }

    async function patch(id: Entry['id'], changes: Partial<Fields>): Promise<Full> {
      return stored(await resource.patch(id, changes))
    }

    async function remove(id: Entry['id']): Promise<void> {
      await resource.remove(id)
      drop(id)
    }

    return { byId, list, loaded, loading, error, replaceAll, upsert, drop, fetchAll, read, create, patch, remove }
  })
}
