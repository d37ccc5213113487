// Shapes of the public API's JSON (API.md), written by hand until the server publishes an
// OpenAPI document. Then `openapi-typescript` generates `schema.d.ts` next to this file, and
// this file shrinks to aliases of the generated schemas under the same names, e.g.
//   export type Preset = components['schemas']['Preset']
// so no importer changes. To keep that swap mechanical: every API shape lives here and only
// here, one exported name per schema, and each resource has its three shapes: `…Fields` (what
// POST/PUT/PATCH accept), the full object (GET /{id}, write answers), and `…Entry` (lists and
// `config_update` events, where secrets are replaced by `has_cookies`).

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

/** A record the API stores under a numeric id (negative for built-ins). */
export interface Entity {
  id: number
}

export interface PresetFields {
  name: string
  description?: string
  folder?: string
  template?: string
  cookies?: string
  cli?: string
  download_archive?: string
  priority?: number
}

export interface Preset extends PresetFields, Entity {
  default?: boolean
  nfo?: '' | 'tv' | 'movie'
}

/** Lists and events never carry the cookies, only whether there are some. */
export interface PresetEntry extends Omit<Preset, 'cookies'> {
  has_cookies?: boolean
}

export interface ConditionExtras {
  preset?: string
  skip?: boolean
  cookies?: string
  ignore_archive?: boolean
  [key: string]: unknown
}

export interface ConditionFields {
  name: string
  filter: string
  cli?: string
  extras?: ConditionExtras
  enabled?: boolean
  priority?: number
  description?: string
}

export interface Condition extends ConditionFields, Entity {}

export interface ConditionTestRequest {
  url: string
  condition: string
  preset?: string
}

export interface ConditionTestResult {
  status: boolean
  condition?: string
  data?: unknown
}

export interface ConditionEntry extends Omit<Condition, 'extras'> {
  extras?: Omit<ConditionExtras, 'cookies'> & { has_cookies?: boolean }
}

export type DlFieldKind = 'string' | 'text' | 'bool' | 'select' | (string & {})

export interface DlFieldFields {
  name: string
  description?: string
  field: string
  kind: DlFieldKind
  order?: number
  value?: string
  icon?: string
  extras?: { options?: string[]; [key: string]: unknown }
}

export interface DlField extends DlFieldFields, Entity {}

/** Download fields hold no secret: their list entries are the full objects. */
export type DlFieldEntry = DlField

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
  presets?: PresetEntry[]
  dl_fields?: DlFieldEntry[]
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
