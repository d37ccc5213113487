import { api } from '@/api'
import { defineCrudStore } from '@/stores/crud'

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)

/** Built-in presets first, then by priority (higher first), then by name. */
export const usePresetsStore = defineCrudStore('presets', api.presets, 'presets', (a, b) =>
  Number(Boolean(b.default)) - Number(Boolean(a.default)) || (b.priority ?? 0) - (a.priority ?? 0) || byName(a, b),
)

/** Higher priority first, as the server evaluates them. */
export const useConditionsStore = defineCrudStore('conditions', api.conditions, 'conditions', (a, b) =>
  (b.priority ?? 0) - (a.priority ?? 0) || byName(a, b),
)

export const useFieldsStore = defineCrudStore('dl_fields', api.dlFields, 'download fields', (a, b) =>
  (a.order ?? 0) - (b.order ?? 0) || byName(a, b),
)

export const useNotificationsStore = defineCrudStore('notifications', api.notifications, 'notification targets', byName)

export const useTaskDefinitionsStore = defineCrudStore(
  'task_definitions', api.taskDefinitions, 'task definitions', byName,
)
