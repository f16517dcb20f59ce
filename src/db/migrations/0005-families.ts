import { type Kysely, sql } from 'kysely'

// Prospective adopters and the children matched with them, as far as access needs them: who the
// adopters are (and their accounts), which agency approved them (for interagency placements), and
// which children they are matched with. Issue 4 adds the match's dates and the plan.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table families (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      approving_agency_id uuid not null references agencies (id),
      created_at timestamptz not null default now(),
      created_by uuid references users (id)
    );
    create index families_agency on families (agency_id);
    create index families_approving_agency on families (approving_agency_id);

    create table adopters (
      id uuid primary key default gen_random_uuid(),
      family_id uuid not null references families (id),
      first_name text not null,
      last_name text not null,
      date_of_birth date not null,
      email text,
      user_id uuid unique references users (id),
      position smallint not null default 1
    );
    create index adopters_family on adopters (family_id);

    create table matches (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      child_id uuid not null references children (id),
      family_id uuid not null references families (id),
      shared_with_adopters_at timestamptz,
      created_at timestamptz not null default now(),
      created_by uuid references users (id),
      ended_at timestamptz
    );
    create unique index matches_current_child on matches (child_id) where ended_at is null;
    create index matches_family on matches (family_id) where ended_at is null;

    create table family_allocations (
      id uuid primary key default gen_random_uuid(),
      family_id uuid not null references families (id),
      user_id uuid not null references users (id),
      allocated_by uuid references users (id),
      allocated_at timestamptz not null default now(),
      ended_at timestamptz
    );
    create unique index family_allocations_current on family_allocations (family_id, user_id) where ended_at is null;
  `.execute(db)
}
