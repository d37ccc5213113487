// Shapes of the public API's JSON (see shared/seeds/ytptube-api.md and COMPAT.md).

export type ItemStatus =
  | null
  | 'pending'
  | 'preparing'
  | 'downloading'
  | 'postprocessing'
  | 'finished'
  | 'error'
  | 'cancelled'
  | 'skip'

export interface Item {
  _id: string
  id?: string | null
  url: string
  title?: string | null
  description?: string | null
  status: ItemStatus
  preset?: string | null
  folder?: string | null
  template?: string | null
  cli?: string | null
  auto_start?: boolean
  datetime?: string | null
  timestamp?: number | null
  is_live?: boolean | null
  error?: string | null
  msg?: string | null
  percent?: number | null
  speed?: number | null
  eta?: number | null
  downloaded_bytes?: number | null
  total_bytes?: number | null
  file_size?: number | null
  filename?: string | null
  extras?: { duration?: number | null; thumbnail?: string | null; [key: string]: unknown }
}

export type Queue = Record<string, Item>

export interface Pagination {
  page: number
  per_page: number
  total: number
  total_pages: number
  has_next: boolean
  has_prev: boolean
}

export interface Paged<T> {
  items: T[]
  pagination: Pagination
}

export interface Preset {
  id: number
  name: string
  description?: string
  folder?: string
  template?: string
  cookies?: string
  cli?: string
  default?: boolean
  priority?: number
}

export interface Condition {
  id: number
  name: string
  filter: string
  cli?: string
  extras?: Record<string, unknown>
  enabled?: boolean
  priority?: number
  description?: string
}

export type DlFieldKind = 'string' | 'text' | 'bool' | 'select' | (string & {})

export interface DlField {
  id: number
  name: string
  description?: string
  field: string
  kind: DlFieldKind
  order?: number
  value?: string
  icon?: string
  extras?: { options?: string[]; [key: string]: unknown }
}

export interface AppInfo {
  download_path?: string
  base_path?: string
  default_pagination?: number
  max_workers?: number
  default_preset?: string
  remove_files?: boolean
  app_version?: string
  ytdlp_version?: string
  [key: string]: unknown
}

export interface Folder {
  name: string
  path: string
}

export interface SystemConfig {
  app: AppInfo
  presets?: Preset[]
  dl_fields?: DlField[]
  paused?: boolean
  folders?: Folder[]
  history_count?: number
  queue?: Queue | Item[]
}

export interface LiveState {
  queue: Queue | Item[]
  history_count: number
}

export interface AddRequest {
  url: string
  preset?: string
  folder?: string
  template?: string
  cli?: string
  cookies?: string
  auto_start?: boolean
}

export interface AddResult {
  status: 'queued' | false | string
  msg?: string | null
  item?: Partial<Item>
}

export interface YtdlpOption {
  flags: string[]
  description?: string
  group?: string
}

export type HistoryOrder = 'DESC' | 'ASC'

export interface HistoryQuery {
  page: number
  per_page: number
  order: HistoryOrder
  status?: string
}
