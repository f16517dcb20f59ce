import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

// Row types of every table, as Kysely sees them. Dates (`date` columns) are ISO strings on both
// drivers, timestamps are Date objects, counts are numbers: see database.ts.

type CreatedAt = ColumnType<Date, Date | undefined, never>
type UpdatedAt = ColumnType<Date, Date | undefined, Date>

export type AgencyKind = 'raa' | 'vaa' | 'la'

export interface AgencyTable {
  id: Generated<string>
  name: string
  kind: AgencyKind
  region: string | null
  created_at: CreatedAt
}

export interface UserTable {
  id: Generated<string>
  agency_id: string
  email: string
  name: string
  role: string
  password_hash: string | null
  totp_secret: string | null
  totp_last_step: number | null
  failed_sign_ins: Generated<number>
  locked_until: Date | null
  active: Generated<boolean>
  deactivated_at: Date | null
  /** The identity that signs in to this account through the agency's provider (single sign-on). */
  sso_issuer: string | null
  sso_subject: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface SessionTable {
  id: string
  user_id: string
  second_factor_done: Generated<boolean>
  created_at: CreatedAt
  last_seen_at: Date
  expires_at: Date
  ended_at: Date | null
  user_agent: string | null
  totp_setup_secret: string | null
  data: ColumnType<SessionData, string | undefined, string>
}

/** What a session remembers between pages (never shown in a URL). */
export type SessionData = { childSearch?: string }

export interface ApiTokenTable {
  id: Generated<string>
  user_id: string
  token_hash: string
  created_at: CreatedAt
  expires_at: Date
  last_used_at: Date | null
  revoked_at: Date | null
}

export interface SiblingGroupTable {
  id: Generated<string>
  agency_id: string
  created_at: CreatedAt
}

export interface ChildTable {
  id: Generated<string>
  agency_id: string
  first_name: string
  last_name: string
  preferred_name: string | null
  date_of_birth: string
  sex: string
  ethnicity: string
  sibling_group_id: string | null
  version: Generated<number>
  created_at: CreatedAt
  updated_at: UpdatedAt
  created_by: string | null
  updated_by: string | null
}

export interface AuditEventTable {
  seq: Generated<number>
  what: string
  who: string | null
  agency_id: string | null
  when: Date
  subject_type: string | null
  subject_id: string | null
  correlation_id: string | null
  details: ColumnType<Record<string, unknown>, string, never>
  previous_hash: string
  hash: string
}

export interface AllocationTable {
  id: Generated<string>
  agency_id: string
  child_id: string
  user_id: string
  allocated_by: string | null
  allocated_at: CreatedAt
  ended_at: Date | null
  ended_by: string | null
}

export interface InvitationTable {
  id: Generated<string>
  token_hash: string
  user_id: string
  invited_by: string | null
  created_at: CreatedAt
  expires_at: Date
  used_at: Date | null
}

export interface FamilyTable {
  id: Generated<string>
  agency_id: string
  approving_agency_id: string
  /** The local authority where the family lives (for the three-year rule and transfers). */
  lives_in_authority: string | null
  created_at: CreatedAt
  created_by: string | null
}

export interface AdopterTable {
  id: Generated<string>
  family_id: string
  first_name: string
  last_name: string
  date_of_birth: string
  email: string | null
  user_id: string | null
  position: Generated<number>
}

export interface MatchTable {
  id: Generated<string>
  agency_id: string
  child_id: string
  family_id: string
  shared_with_adopters_at: Date | null
  /** Key dates (ISO): matching panel, agency decision, placement, adoption order, or return. */
  panel_on: string | null
  decision_on: string | null
  placed_on: string | null
  order_on: string | null
  returned_on: string | null
  created_at: CreatedAt
  created_by: string | null
  ended_at: Date | null
}

export interface FamilyAllocationTable {
  id: Generated<string>
  family_id: string
  user_id: string
  allocated_by: string | null
  allocated_at: CreatedAt
  ended_at: Date | null
}

/** An e-mail waiting to be sent (or sent): an address, a kind of message and a path, nothing else. */
export interface MailOutboxTable {
  id: Generated<string>
  to_address: string
  kind: string
  link: string | null
  dedupe_key: string | null
  created_at: CreatedAt
  send_after: ColumnType<Date, Date | undefined, Date>
  attempts: Generated<number>
  locked_until: Date | null
  last_error: string | null
  sent_at: Date | null
  gave_up_at: Date | null
}

/** An agency's OpenID Connect provider; the client secret only ever sealed (platform/sealed.ts). */
export interface IdentityProviderTable {
  agency_id: string
  issuer: string
  client_id: string
  client_secret_sealed: string
  enforces_mfa: boolean
  created_at: CreatedAt
  updated_at: UpdatedAt
}

type Json<T> = ColumnType<T, string, string>
type ListRow = {
  id: Generated<string>
  position: number
  created_at: CreatedAt
  removed_at: Date | null
}

export interface PlanTable {
  id: Generated<string>
  agency_id: string
  child_id: string
  family_id: string | null
  status: Generated<string>
  date_agreed: string | null
  /** When the agency was first authorised to place the child: starts the reviews before placement. */
  authority_to_place_on: ColumnType<string | null, string | null | undefined, string | null>
  lead_worker_id: string | null
  created_by: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface PlanSectionTable {
  plan_id: string
  key: string
  version: Generated<number>
  answers: Json<Record<string, string | number | null>>
  completed: Generated<boolean>
  updated_at: UpdatedAt
  updated_by: string | null
}

export interface PlanNetworkMemberTable extends ListRow {
  plan_id: string
  name: string
  role: string
  organisation: string
  phone: string | null
  email: string | null
  responsibility: string | null
  confirmed_on: string | null
}

export interface PlanNeedItemTable extends ListRow {
  plan_id: string | null
  sibling_group_id: string | null
  agency_id: string
  section: 'child' | 'adopters'
  area: string
  description: string
  expected: string
  support: string
  provider_member_id: string | null
  provider_organisation: string | null
  start_on: string | null
  end_on: string | null
  frequency: string | null
  review: string | null
  funding: string | null
  /** Pence. */
  fund_amount: number | null
  status: string
}

export interface PlanContactArrangementTable extends ListRow {
  plan_id: string
  person: string
  relationship: string
  kind: string
  frequency: string
  supported_by: string | null
  review_on: string | null
}

export interface PlanFinancialSupportTable extends ListRow {
  plan_id: string
  kind: string
  /** Pence. */
  amount: number
  frequency: string
  start_on: string
  end_on: string | null
  paid_by: string
  review_on: string | null
}

export interface PlanBirthFamilySupportTable extends ListRow {
  plan_id: string
  relative: string
  relationship: string
  support: string
  provided_by: string
}

export type FieldChange = { path: string; label: string; before: string; after: string }

export interface PlanChangeTable {
  id: Generated<string>
  plan_id: string
  section: string
  section_version: number
  changed_by: string | null
  changed_at: CreatedAt
  correlation_id: string | null
  changes: Json<FieldChange[]>
}

export interface PlanVersionTable {
  plan_id: string
  number: number
  reason: string
  content: Json<unknown>
  content_hash: string
  taken_at: CreatedAt
  taken_by: string | null
}

export interface PhotoTable {
  id: Generated<string>
  agency_id: string
  subject_type: 'child' | 'adopter'
  subject_id: string
  media_type: 'image/jpeg' | 'image/png'
  bytes: Uint8Array
  sha256: string
  width: number
  height: number
  /** For people who cannot see the photo. */
  description: Generated<string>
  uploaded_by: string | null
  uploaded_at: CreatedAt
  /** Removed photos are kept, never shown: nothing is hard-deleted by a user. */
  removed_at: Date | null
  removed_by: string | null
}

/** An agency's own wording of one hint of the plan; without a row, the definition's default. */
export interface PlanTransitionTable {
  id: Generated<string>
  plan_id: string
  from_status: string
  to_status: string
  on_date: string | null
  note: string | null
  version_number: number
  made_by: string
  made_at: CreatedAt
}

export interface PlanSignOffTable {
  id: Generated<string>
  plan_id: string
  content_hash: string
  version_number: number
  signed_by: string
  signed_at: CreatedAt
}

/** One review of the plan: the worker's part before it, the IRO's part after it (src/plan/reviews.ts). */
export interface PlanReviewTable {
  id: Generated<string>
  plan_id: string
  kind: 'scheduled' | 'extra-requested' | 'urgent'
  reason: string | null
  status: ColumnType<'preparing' | 'ready' | 'recorded', 'preparing' | undefined, 'ready' | 'recorded'>
  started_by: string
  started_at: CreatedAt
  needs_changed: string | null
  child_views: string | null
  adopters_views: string | null
  before_by: string | null
  before_at: Date | null
  held_on: string | null
  recommendations: string | null
  visit_frequency: string | null
  after_by: string | null
  after_at: Date | null
  recorded_at: Date | null
}

export interface PlanCommentTable {
  id: Generated<string>
  plan_id: string
  section: string
  section_version: number
  body: string
  written_by: string
  written_at: CreatedAt
  resolved_at: Date | null
  resolved_by: string | null
}

export interface PlanCommentReplyTable {
  id: Generated<string>
  comment_id: string
  author_kind: 'staff' | 'adopter'
  body: string
  written_by: string
  written_at: CreatedAt
}

export interface PlanAdopterViewsTable {
  id: Generated<string>
  plan_id: string
  views: string
  written_by: string
  written_at: CreatedAt
}

export interface PlanAcknowledgementTable {
  id: Generated<string>
  plan_id: string
  version_number: number
  content_hash: string
  typed_name: string
  acknowledged_on: string
  acknowledged_by: string
  acknowledged_at: CreatedAt
}

/** Unanswered while `answered_at` is null: reminders are worked out from the dates. */
export interface PlanReviewRequestTable {
  id: Generated<string>
  plan_id: string
  reason: string
  asked_by: string
  asked_at: CreatedAt
  answer: string | null
  answered_by: string | null
  answered_at: Date | null
}

export interface PlanMeetingTable {
  id: Generated<string>
  plan_id: string
  held_on: string
  attended: string
  support_service: string
  agreed: string
  recorded_by: string
  recorded_at: CreatedAt
}

export interface GuidanceTable {
  agency_id: string
  path: string
  hint: string
  updated_by: string | null
  updated_at: UpdatedAt
}

/** What a birth relative is shown of section 4: the support offered to them, and by whom. */
export type BirthFamilyEntry = { relative: string; relationship: string; support: string; providedBy: string }

/** A single-use link, or a letter's code, for one birth relative (ADR 0014): only its keyed hash kept. */
export interface BirthFamilyLinkTable {
  id: Generated<string>
  agency_id: string
  plan_id: string
  relative_id: string
  kind: 'link' | 'code'
  secret_hash: string
  created_by: string
  created_at: CreatedAt
  expires_at: Date
  revoked_at: Date | null
  revoked_by: string | null
  first_opened_at: Date | null
  answered_at: Date | null
  answer: 'confirmed' | 'declined' | null
  answer_name: string | null
  answer_date: string | null
  decline_reason: string | null
  /** The entry as the relative saw it when they answered. */
  answered_content: ColumnType<BirthFamilyEntry | null, string | null, string | null>
  /** Closed unanswered: the relative answered through another link or code, or signed on paper. */
  closed_at: Date | null
}

/** A birth relative's signature on paper: the scan as uploaded (a PDF) or re-encoded (an image). */
export interface BirthFamilySignatureTable {
  id: Generated<string>
  agency_id: string
  plan_id: string
  relative_id: string
  signed_name: string
  signed_on: string
  media_type: 'application/pdf' | 'image/jpeg' | 'image/png'
  bytes: Uint8Array
  sha256: string
  shown_content: Json<BirthFamilyEntry>
  recorded_by: string
  recorded_at: CreatedAt
}

export interface Database {
  agencies: AgencyTable
  users: UserTable
  sessions: SessionTable
  api_tokens: ApiTokenTable
  sibling_groups: SiblingGroupTable
  children: ChildTable
  audit_events: AuditEventTable
  allocations: AllocationTable
  invitations: InvitationTable
  families: FamilyTable
  adopters: AdopterTable
  matches: MatchTable
  family_allocations: FamilyAllocationTable
  identity_providers: IdentityProviderTable
  mail_outbox: MailOutboxTable
  plans: PlanTable
  plan_sections: PlanSectionTable
  plan_network_members: PlanNetworkMemberTable
  plan_need_items: PlanNeedItemTable
  plan_contact_arrangements: PlanContactArrangementTable
  plan_financial_support: PlanFinancialSupportTable
  plan_birth_family_support: PlanBirthFamilySupportTable
  plan_changes: PlanChangeTable
  plan_versions: PlanVersionTable
  photos: PhotoTable
  plan_transitions: PlanTransitionTable
  plan_sign_offs: PlanSignOffTable
  plan_reviews: PlanReviewTable
  guidance: GuidanceTable
  plan_comments: PlanCommentTable
  plan_comment_replies: PlanCommentReplyTable
  plan_adopter_views: PlanAdopterViewsTable
  plan_acknowledgements: PlanAcknowledgementTable
  plan_review_requests: PlanReviewRequestTable
  plan_meetings: PlanMeetingTable
  birth_family_links: BirthFamilyLinkTable
  birth_family_signatures: BirthFamilySignatureTable
}

export type Agency = Selectable<AgencyTable>
export type User = Selectable<UserTable>
export type NewUser = Insertable<UserTable>
export type Session = Selectable<SessionTable>
export type Child = Selectable<ChildTable>
export type NewChild = Insertable<ChildTable>
export type ChildUpdate = Updateable<ChildTable>
export type AuditEventRow = Selectable<AuditEventTable>
export type Adopter = Selectable<AdopterTable>
