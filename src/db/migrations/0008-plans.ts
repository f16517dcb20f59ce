import { type Kysely, sql } from 'kysely'

// The Adoption Support Plan. A plan belongs to one child (and the family matched with them); its
// five sections keep their plain answers as JSON beside a version, and every list the plan holds —
// the professional network, needs and their support, staying-in-touch arrangements, financial
// support, support to the birth family — is a table with a column per question, so that need,
// services and money can be counted with SQL for the national data return (src/plan/definition.ts
// names the columns; a test keeps the two equal). Nothing is deleted: removed items keep their row
// with `removed_at`. Versions are immutable snapshots, and the database refuses to change them.
// Also: the match's key dates, where the family lives, and photos (child and adopters).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table families add column lives_in_authority text;
    alter table matches add column panel_on date;
    alter table matches add column decision_on date;
    alter table matches add column placed_on date;
    alter table matches add column order_on date;
    alter table matches add column returned_on date;

    create table plans (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      child_id uuid not null unique references children (id),
      family_id uuid references families (id),
      status text not null default 'draft',
      date_agreed date,
      lead_worker_id uuid references users (id),
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index plans_agency on plans (agency_id);
    create index plans_family on plans (family_id);

    create table plan_sections (
      plan_id uuid not null references plans (id),
      key text not null,
      version integer not null default 1,
      answers jsonb not null default '{}',
      completed boolean not null default false,
      updated_at timestamptz not null default now(),
      updated_by uuid references users (id),
      primary key (plan_id, key)
    );

    create table plan_network_members (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      position integer not null,
      name text not null,
      role text not null,
      organisation text not null,
      phone text,
      email text,
      responsibility text,
      confirmed_on date,
      created_at timestamptz not null default now(),
      removed_at timestamptz
    );
    create index plan_network_members_plan on plan_network_members (plan_id) where removed_at is null;

    -- A need of one child (plan_id), or of a sibling group, written once (sibling_group_id).
    create table plan_need_items (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid references plans (id),
      sibling_group_id uuid references sibling_groups (id),
      agency_id uuid not null references agencies (id),
      section text not null check (section in ('child', 'adopters')),
      position integer not null,
      area text not null,
      description text not null,
      expected text not null check (expected in ('now', 'later')),
      support text not null,
      provider_member_id uuid references plan_network_members (id),
      provider_organisation text,
      start_on date,
      end_on date,
      frequency text,
      review text,
      funding text,
      fund_amount bigint check (fund_amount >= 0),
      status text not null check (status in ('planned', 'in-place', 'ended', 'no-longer-needed')),
      created_at timestamptz not null default now(),
      removed_at timestamptz,
      check ((plan_id is null) <> (sibling_group_id is null))
    );
    create index plan_need_items_plan on plan_need_items (plan_id) where removed_at is null;
    create index plan_need_items_group on plan_need_items (sibling_group_id) where removed_at is null;
    create index plan_need_items_area on plan_need_items (agency_id, area);

    create table plan_contact_arrangements (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      position integer not null,
      person text not null,
      relationship text not null,
      kind text not null check (kind in ('letterbox', 'direct', 'video', 'other')),
      frequency text not null,
      supported_by text,
      review_on date,
      created_at timestamptz not null default now(),
      removed_at timestamptz
    );
    create index plan_contact_arrangements_plan on plan_contact_arrangements (plan_id) where removed_at is null;

    create table plan_financial_support (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      position integer not null,
      kind text not null,
      amount bigint not null check (amount >= 0),
      frequency text not null check (frequency in ('once', 'weekly', 'monthly', 'yearly')),
      start_on date not null,
      end_on date,
      paid_by text not null,
      review_on date,
      created_at timestamptz not null default now(),
      removed_at timestamptz
    );
    create index plan_financial_support_plan on plan_financial_support (plan_id) where removed_at is null;

    create table plan_birth_family_support (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      position integer not null,
      relative text not null,
      relationship text not null,
      support text not null,
      provided_by text not null,
      created_at timestamptz not null default now(),
      removed_at timestamptz
    );
    create index plan_birth_family_support_plan on plan_birth_family_support (plan_id) where removed_at is null;

    -- Who changed what, field by field, at each save of a section.
    create table plan_changes (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      section text not null,
      section_version integer not null,
      changed_by uuid references users (id),
      changed_at timestamptz not null default now(),
      correlation_id text,
      changes jsonb not null
    );
    create index plan_changes_plan on plan_changes (plan_id, changed_at);

    create table plan_versions (
      plan_id uuid not null references plans (id),
      number integer not null,
      reason text not null,
      content jsonb not null,
      content_hash text not null,
      taken_at timestamptz not null default now(),
      taken_by uuid references users (id),
      primary key (plan_id, number)
    );

    create function plan_versions_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'plan versions cannot be changed or removed';
    end;
    $$;
    create trigger plan_versions_immutable before update or delete on plan_versions
      for each row execute function plan_versions_immutable();
    create trigger plan_versions_no_truncate before truncate on plan_versions
      for each statement execute function plan_versions_immutable();

    -- A photo of a child or an adopter, re-encoded without metadata. The newest is the one shown.
    create table photos (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      subject_type text not null check (subject_type in ('child', 'adopter')),
      subject_id uuid not null,
      media_type text not null check (media_type in ('image/jpeg', 'image/png')),
      bytes bytea not null,
      sha256 text not null,
      width integer not null,
      height integer not null,
      uploaded_by uuid references users (id),
      uploaded_at timestamptz not null default now()
    );
    create index photos_subject on photos (subject_type, subject_id, uploaded_at desc);

    -- Hints beside the questions: the defaults are in the plan's definition; edits are kept here.
    create table guidance (
      path text primary key,
      hint text not null,
      updated_by uuid references users (id),
      updated_at timestamptz not null default now()
    );
  `.execute(db)
}
