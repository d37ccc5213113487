// State of a create/edit form over a CRUD store: the draft, the server's validation
// message, and save/remove that report errors beside the form instead of throwing.
import { ref, toRaw, type Ref } from 'vue'
import type { Entity } from '@/stores/crud'

interface CrudLike<T extends Entity> {
  create(body: Omit<T, 'id'>): Promise<T>
  update(id: T['id'], body: Omit<T, 'id'>): Promise<T>
  remove(id: T['id']): Promise<void>
}

export interface Editor<T extends Entity> {
  /** null: closed; 'new': creating; otherwise the id being edited. */
  editing: Ref<T['id'] | 'new' | null>
  draft: Ref<Omit<T, 'id'>>
  error: Ref<string>
  /** A failed delete, shown above the list. */
  listError: Ref<string>
  saving: Ref<boolean>
  open(entity?: T | Omit<T, 'id'>): void
  close(): void
  save(): Promise<boolean>
  remove(entity: T): Promise<void>
}

export function useEditor<T extends Entity>(store: CrudLike<T>, blank: () => Omit<T, 'id'>): Editor<T> {
  const editing = ref(null) as Ref<T['id'] | 'new' | null>
  const draft = ref(blank()) as Ref<Omit<T, 'id'>>
  const error = ref('')
  const listError = ref('')
  const saving = ref(false)

  function open(entity?: T | Omit<T, 'id'>): void {
    error.value = ''
    if (entity && 'id' in entity) {
      const { id, ...rest } = structuredClone(toRaw(entity)) as T
      editing.value = id
      draft.value = { ...blank(), ...rest }
    } else {
      editing.value = 'new'
      draft.value = { ...blank(), ...(entity ? structuredClone(toRaw(entity)) : {}) }
    }
  }

  function close(): void {
    editing.value = null
    error.value = ''
  }

  async function save(): Promise<boolean> {
    saving.value = true
    error.value = ''
    try {
      const target = editing.value
      if (target === 'new' || target === null) await store.create(draft.value)
      else await store.update(target, draft.value)
      close()
      return true
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
      return false
    } finally {
      saving.value = false
    }
  }

  async function remove(entity: T): Promise<void> {
    listError.value = ''
    try {
      await store.remove(entity.id)
      if (editing.value === entity.id) close()
    } catch (err) {
      listError.value = err instanceof Error ? err.message : String(err)
    }
  }

  return { editing, draft, error, listError, saving, open, close, save, remove }
}
