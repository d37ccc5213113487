// The WebSocket's event names and payload types, shared by the socket client and the stores:
// renaming a field here fails the type check wherever it is read.
import type { ConditionEntry, DlFieldEntry, Item, PresetEntry } from '@/api/types'

export interface MovedPayload {
  to: 'history' | 'queue'
  /** Set when the item moved within the queue, to its top or bottom. */
  position?: 'top' | 'bottom'
  preset?: string
  item: Item
}

export interface ItemStatusPayload {
  status: 'ok' | 'error'
  preset?: string
  msg?: string
}

export interface PausePayload {
  paused: boolean
  at?: number
}

export type ConfigFeature = 'presets' | 'conditions' | 'dl_fields' | 'tasks' | 'notifications'

export interface ConfigUpdatePayload {
  feature: ConfigFeature | (string & {})
  action: 'create' | 'update' | 'delete' | 'replace' | (string & {})
  data: PresetEntry | ConditionEntry | DlFieldEntry | Record<string, unknown>
}

export type LogPayload = Record<string, unknown>

export interface EventPayloads {
  connected: { sid: string }
  item_added: Item
  item_updated: Item
  item_cancelled: Item
  item_deleted: Item
  item_moved: MovedPayload
  item_status: ItemStatusPayload
  paused: PausePayload
  resumed: PausePayload
  config_update: ConfigUpdatePayload
  log_info: LogPayload
  log_success: LogPayload
  log_warning: LogPayload
  log_error: LogPayload
}

export type EventName = keyof EventPayloads

export const LOG_EVENTS = ['log_info', 'log_success', 'log_warning', 'log_error'] as const
export type LogEvent = (typeof LOG_EVENTS)[number]

/** The server's Event object: frames carry it at `frame.data`, the payload at `frame.data.data`. */
export interface Envelope<E extends EventName = EventName> {
  id: string
  created_at: string
  event: E
  title: string | null
  message: string | null
  data: EventPayloads[E]
}

export type Frame = { [E in EventName]: { event: E; data: Envelope<E> } }[EventName]

export type EventHandlers = { [E in EventName]?: (payload: EventPayloads[E], envelope: Envelope<E>) => void }

const KNOWN = new Set<string>([
  'connected', 'item_added', 'item_updated', 'item_cancelled', 'item_deleted', 'item_moved',
  'item_status', 'paused', 'resumed', 'config_update', ...LOG_EVENTS,
] satisfies EventName[])

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Parses one text frame; unknown events and malformed frames give null (they are ignored). */
export function parseFrame(raw: string): Frame | null {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return null
  }
  if (!isObject(value) || typeof value.event !== 'string' || !KNOWN.has(value.event)) return null
  if (!isObject(value.data)) return null
  const envelope = value.data
  // A frame whose data is a bare payload (no envelope) is wrapped so handlers see one shape.
  const wrapped = 'data' in envelope && 'event' in envelope
    ? envelope
    : { id: '', created_at: '', event: value.event, title: null, message: null, data: envelope }
  return { event: value.event, data: wrapped } as unknown as Frame
}

/** Calls the handler registered for the frame's event with its payload and envelope. */
export function dispatch(frame: Frame, handlers: EventHandlers): void {
  const handler = handlers[frame.event] as ((p: unknown, e: Envelope) => void) | undefined
  handler?.(frame.data.data, frame.data)
}
