// State of the create/edit form over a CRUD store: the draft, the server's validation
// message, and save/remove that report errors beside the form instead of throwing.
//
// An edit starts from the full object (`GET /{id}`), not from the list entry: lists carry
// `has_cookies` instead of the cookies. Saving sends a PATCH of the fields that changed, so a
// field the form does not show, or a secret left alone, is never overwritten.
import { ref, toRaw, type Ref } from 'vue'
import type { Entity } from '@/api/types'

export interface CrudLike<Entry extends Entity, Full extends Entity, Fields> {
  list: Entry[]
  read(id: Entry['id']): Promise<Full>
  create(fields: Fields): Promise<Full>
  patch(id: Entry['id'], changes: Partial<Fields>): Promise<Full>
  remove(id: Entry['id']): Promise<void>
}

export interface EditorOptions<Fields> {
  /** A new object's fields. Its keys are the fields the form edits, and the only ones sent. */
  blank: () => Fields
  /** After the draft is filled: derive form-only state (text of a JSON field, ...). */
  onOpen?: (draft: Fields) => void
  /** Before saving: fold form-only state back into the draft; a message stops the save. */
  prepare?: (draft: Fields) => string | void
}

export interface Editor<Entry extends Entity, Fields> {
  /** null: closed; 'new': creating; otherwise the id being edited. */
  editing: Ref<Entry['id'] | 'new' | null>
  /** The object open is built in (`default: true`): shown, not edited. */
  readonly: Ref<boolean>
  draft: Ref<Fields>
  error: Ref<string>
  /** A failed delete, or an object that could not be read, shown above the list. */
  listError: Ref<string>
  saving: Ref<boolean>
  create(initial?: Partial<Fields>): void
  edit(entry: Entry): Promise<void>
  /** A new object with the fields of `entry` (built-ins are copied, not edited). */
  copy(entry: Entry): Promise<void>
  close(): void
  save(): Promise<boolean>
  remove(entry: Entry): Promise<void>
}

const clone = <T>(value: T): T => structuredClone(toRaw(value))
const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

/** The fields of `blank`, taken from `source` where it has them. */
export function pickFields<Fields>(blank: Fields, source: object): Fields {
  const values = source as Record<string, unknown>
  const picked = { ...blank } as Record<string, unknown>
  for (const key of Object.keys(picked)) {
    if (values[key] !== undefined && values[key] !== null) picked[key] = clone(values[key])
  }
  return picked as Fields
}

/** The fields of `draft` that differ from `original` (JSON values: compared as JSON). */
export function changedFields<Fields>(original: Fields, draft: Fields): Partial<Fields> {
  const before = original as Record<string, unknown>
  const changes: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(draft as Record<string, unknown>)) {
    if (JSON.stringify(value) !== JSON.stringify(before[key])) changes[key] = clone(value)
  }
  return changes as Partial<Fields>
}

export function useEditor<Entry extends Entity & { default?: boolean }, Full extends Entity, Fields extends { name: string }>(
  store: CrudLike<Entry, Full, Fields>,
  options: EditorOptions<NoInfer<Fields>>,
): Editor<Entry, Fields> {
  const editing = ref(null) as Ref<Entry['id'] | 'new' | null>
  const readonly = ref(false)
  const draft = ref(options.blank()) as Ref<Fields>
  const error = ref('')
  const listError = ref('')
  const saving = ref(false)
  // The saved fields of the object being edited, to send only what changed.
  let original: Fields = options.blank()
  // Each open supersedes the ones before it, whose reads may answer later.
  let opening = 0

  function show(target: Entry['id'] | 'new', fields: Fields, builtIn = false): void {
    error.value = ''
    listError.value = ''
    original = clone(fields)
    draft.value = fields
    readonly.value = builtIn
    editing.value = target
    options.onOpen?.(draft.value)
  }

  function create(initial: Partial<Fields> = {}): void {
    opening += 1
    show('new', { ...options.blank(), ...clone(initial) })
  }

  async function readFull(entry: Entry): Promise<Full | null> {
    const mine = ++opening
    listError.value = ''
    try {
      const full = await store.read(entry.id)
      return mine === opening ? full : null
    } catch (err) {
      if (mine === opening) listError.value = `Could not open ${(entry as { name?: string }).name ?? entry.id}: ${message(err)}`
      return null
    }
  }

  async function edit(entry: Entry): Promise<void> {
    const full = await readFull(entry)
    if (full) show(entry.id, pickFields(options.blank(), full), Boolean(entry.default))
  }

  async function copy(entry: Entry): Promise<void> {
    const full = await readFull(entry)
    if (!full) return
    const fields = pickFields(options.blank(), full)
    show('new', { ...fields, name: `${fields.name} copy` })
  }

  function close(): void {
    opening += 1
    editing.value = null
    readonly.value = false
    error.value = ''
  }

  async function save(): Promise<boolean> {
    const refused = options.prepare?.(draft.value)
    if (refused) {
      error.value = refused
      return false
    }
    saving.value = true
    error.value = ''
    try {
      const target = editing.value
      if (target === 'new' || target === null) await store.create(clone(draft.value))
      else {
        const changes = changedFields(original, draft.value)
        if (Object.keys(changes).length > 0) await store.patch(target, changes)
      }
      close()
      return true
    } catch (err) {
      error.value = message(err)
      return false
    } finally {
      saving.value = false
    }
  }

  async function remove(entry: Entry): Promise<void> {
    listError.value = ''
    try {
      await store.remove(entry.id)
      if (editing.value === entry.id) close()
    } catch (err) {
      listError.value = message(err)
    }
  }

  return { editing, readonly, draft, error, listError, saving, create, edit, copy, close, save, remove }
}
