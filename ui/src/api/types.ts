// Shapes of the public API's JSON, as aliases of the types `openapi-typescript` generates in
// `schema.d.ts` from the server's OpenAPI document (`openapi.json`, served at
// /api/openapi.json). Never edit either by hand: change the pydantic models, then run
// `bash scripts/gen-api-types.sh`; tests fail while the checked-in copies are stale.
// Each resource has its three shapes: `…Fields` (what POST/PUT/PATCH accept), the full
// object (GET /{id}, write answers), and `…Entry` (lists and `config_update` events, where
// secrets are replaced by `has_cookies`).
import type { components } from './schema'

type Schemas = components['schemas']

export type Item = Schemas['Item']
export type ItemStatus = Item['status']
export type Queue = Record<string, Item>

export type Pagination = Schemas['Pagination']

/** A page of any list: the document names one per resource (`PresetEntryPage`, ...). */
export interface Paged<T> {
  items: T[]
  pagination: Pagination
}

/** A record the API stores under a numeric id (negative for built-ins). */
export interface Entity {
  id: number
}

export type PresetFields = Schemas['PresetFields']
export type Preset = Schemas['PresetModel']
/** Lists and events never carry the cookies, only whether there are some. */
export type PresetEntry = Schemas['PresetEntry']

export type ConditionExtras = Schemas['ConditionExtras']
export type ConditionFields = Schemas['ConditionFields']
export type Condition = Schemas['ConditionModel']
export type ConditionTestRequest = Schemas['ConditionTestRequest']
export type ConditionTestResult = Schemas['ConditionTestResult']
export type ConditionEntry = Schemas['ConditionEntry']

export type DlFieldFields = Schemas['DlFieldFields']
export type DlFieldKind = NonNullable<DlFieldFields['kind']>
export type DlField = Schemas['DlFieldModel']
/** Download fields hold no secret: their list entries are the full objects. */
export type DlFieldEntry = DlField
export type TaskDefinitionFields = Schemas['DefinitionFields']
export type TaskDefinition = Schemas['DefinitionModel']
export type TaskDefinitionEntry = Schemas['DefinitionEntry']
export type TaskDefinitionBody = Schemas['Definition']
export type InspectDefinitionRequest = Schemas['DefinitionInspectBody']
export type InspectDefinitionResult = Schemas['DefinitionInspectAnswer']

export type NotificationName = Schemas['NotificationName']
export type NotificationRequest = Schemas['NotificationRequest']
export type NotificationFields = Schemas['NotificationFields']
export type Notification = Schemas['NotificationModel']
/** The seed lists notification targets whole (headers included). */
export type NotificationEntry = Notification
export type NotificationEvents = Schemas['NotificationEventNames']
export type NotificationTestResults = Schemas['NotificationTestResults']
export type NotificationTestResult = Schemas['NotificationTestResult']

export type TaskFields = Schemas['TaskFields']
export type Task = Schemas['TaskModel']
/** Lists carry `has_cookies` and the scheduler's read-only `run` block. */
export type TaskEntry = Schemas['TaskEntry']
export type TaskRun = Schemas['TaskRun']
export type TaskRunResult = Schemas['RunAnswer']
export type TaskInspectRequest = Schemas['InspectRequest']
export type TaskInspectResult = Schemas['InspectAnswer']
/** The 400 answer of an inspect no handler takes, or whose listing failed. */
export type TaskInspectFailure = Schemas['InspectFailure']
export type TaskMetadata = Schemas['TaskMetadata']
export type Message = Schemas['Message']

export type ApiKey = Schemas['ApiKey']
export type KeyRequest = Schemas['KeyRequest']
export type KeyCreated = Schemas['KeyCreated']
export type KeyRole = ApiKey['role']
export type KeyPermission = ApiKey['permissions'][number]

export type AppInfo = Schemas['PublicSettings']
export type LogEntry = Schemas['LogEntry']
export type LogPage = Schemas['LogPage']
export type UpdateCheck = Schemas['UpdateCheck']
export type Folder = Schemas['Folder']
export type SystemConfig = Schemas['Configuration']
export type LiveState = Schemas['LiveState']

export type AddRequest = Schemas['AddRequest']
export type AddResult = Schemas['AddAnswer']

export type YtdlpOption = Schemas['OptionInfo']

type HistoryParameters = Schemas['HistoryQuery']
export type HistoryOrder = 'DESC' | 'ASC'
export interface HistoryQuery {
  page: number
  per_page: number
  order: HistoryOrder
  status?: HistoryParameters['status']
}

export type FileEntry = Schemas['FileEntry']
export type FileListing = Schemas['FileListing']
export type FileActionRequest = Schemas['FileActionRequest']
export type FileActionResult = Schemas['FileActionResult']
export type FileZipToken = Schemas['FileZipToken']
export type FileSortBy = 'name' | 'size' | 'date' | 'type'
export interface FileQuery {
  page: number
  per_page: number
  sort_by: FileSortBy
  sort_order: 'asc' | 'desc'
  search?: string
}
export type LibraryVideo = Schemas['Video']
export type LibrarySearch = Schemas['SearchAnswer']
export type LibraryIndex = Schemas['IndexStatus']
export type WatchProgress = Schemas['Progress']
