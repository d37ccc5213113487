// Routes the server's events to the stores, and loads the state they replace on (re)connect.
import { api, wsUrl } from '@/api'
import { dispatch, type EventHandlers, type LogEvent, type Frame } from '@/api/events'
import { LiveSocket } from '@/api/socket'
import { useConnectionStore } from '@/stores/connection'
import { useHistoryStore } from '@/stores/history'
import { useQueueStore } from '@/stores/queue'
import { useConditionsStore, useFieldsStore, useNotificationsStore, usePresetsStore } from '@/stores/resources'
import { useSystemStore } from '@/stores/system'
import { useTasksStore } from '@/stores/tasks'
import { useToastsStore, type ToastLevel } from '@/stores/toasts'
import type { SystemConfig } from '@/api/types'

const LOG_LEVEL: Record<LogEvent, ToastLevel> = {
  log_info: 'info',
  log_success: 'success',
  log_warning: 'warning',
  log_error: 'error',
}

/** Applies a configuration answer to every store it feeds. */
export function applyConfig(config: SystemConfig): void {
  useSystemStore().apply(config)
  useQueueStore().replaceAll(config.queue)
  if (Array.isArray(config.presets)) usePresetsStore().replaceAll(config.presets)
  if (Array.isArray(config.dl_fields)) useFieldsStore().replaceAll(config.dl_fields)
}

export async function loadConfig(): Promise<void> {
  const config = await useSystemStore().fetchConfig()
  if (config) applyConfig(config)
}

/** One poll of `GET /api/history/live`; refreshes the history page when its count moved. */
export async function pollLive(): Promise<void> {
  const live = await api.live()
  const system = useSystemStore()
  useQueueStore().replaceAll(live.queue)
  if (typeof live.history_count === 'number' && live.history_count !== system.historyCount) {
    system.historyCount = live.history_count
    void useHistoryStore().load()
  }
}

const FEATURE_REFETCH: Record<string, () => Promise<void>> = {
  presets: () => usePresetsStore().fetchAll(),
  conditions: () => useConditionsStore().fetchAll(),
  dl_fields: () => useFieldsStore().fetchAll(),
  notifications: () => useNotificationsStore().fetchAll(),
  // Only once the tasks page has read them.
  tasks: async () => { if (useTasksStore().loaded) await useTasksStore().fetchAll() },
}

/** The event → store table; each handler is idempotent, so a repeated event is harmless. */
export function createHandlers(): EventHandlers {
  const queue = useQueueStore()
  const history = useHistoryStore()
  const system = useSystemStore()
  const toasts = useToastsStore()
  const conditions = useConditionsStore()

  // Ids already counted into history_count: a cancel sends item_cancelled then item_moved.
  const arrivals = new Set<string>()
  const arrivedInHistory = (id: string) => {
    if (arrivals.has(id)) return
    if (arrivals.size > 10_000) arrivals.clear()
    arrivals.add(id)
    system.historyCount += 1
  }
  const leftHistory = (id: string) => {
    arrivals.delete(id)
    system.historyCount = Math.max(0, system.historyCount - 1)
    history.left(id)
  }

  const log = (level: ToastLevel) => (_: unknown, env: { title: string | null; message: string | null }) => {
    if (env.message || env.title) toasts.push(level, env.message ?? '', env.title ?? '')
  }

  const handlers: EventHandlers = {
    connected: () => {
      void loadConfig()
      // Events were missed while disconnected: reread the page in view.
      if (history.loaded || history.error) void history.load()
    },
    item_added: (item) => queue.upsert(item),
    // After an item moves to the history one last update carries its filename: it must not
    // bring the item back into the queue.
    item_updated: (item) => {
      if (!queue.update(item)) history.update(item)
    },
    item_cancelled: (item) => {
      queue.remove(item._id)
      arrivedInHistory(item._id)
      history.arrived(item)
    },
    // Every item is either queued or in the history: one not in the queue left the history.
    item_deleted: (item) => {
      if (!queue.remove(item._id) && !queue.consumeDeleted(item._id)) leftHistory(item._id)
    },
    item_moved: ({ to, item, position }) => {
      if (position) {
        queue.moveTo(item, position)
      } else if (to === 'history') {
        queue.remove(item._id)
        arrivedInHistory(item._id)
        history.arrived(item)
      } else {
        queue.upsert(item)
        leftHistory(item._id)
      }
    },
    item_status: (payload, env) => {
      if (payload.status === 'error') toasts.push('error', payload.msg ?? env.message ?? 'The item was not added.', env.title ?? '')
    },
    paused: (payload) => { system.paused = payload.paused ?? true },
    resumed: (payload) => { system.paused = payload.paused ?? false },
    config_update: ({ feature }) => {
      const refetch = FEATURE_REFETCH[feature]
      // Conditions are only listed on their own page; refetch them once they have been read.
      if (refetch && (feature !== 'conditions' || conditions.loaded)) void refetch()
    },
  }
  for (const [event, level] of Object.entries(LOG_LEVEL) as [LogEvent, ToastLevel][]) {
    handlers[event] = log(level)
  }
  return handlers
}

/** Starts the live connection; answers a function that stops it. */
export function startRealtime(): () => void {
  const connection = useConnectionStore()
  const handlers = createHandlers()
  const socket = new LiveSocket({
    url: () => wsUrl(),
    onFrame: (frame: Frame) => dispatch(frame, handlers),
    onState: (state) => { connection.state = state },
    poll: pollLive,
  })
  connection.setRefresher(() => socket.pollNow())
  socket.start()
  return () => {
    connection.setRefresher(null)
    socket.stop()
  }
}
