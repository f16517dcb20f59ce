import { type Kysely, sql } from 'kysely'

// Agencies, staff, sessions, API tokens, children and the audit log: the base of the service.
// Forward-only: a mistake here is mended by a later migration, never by editing this one.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table agencies (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      kind text not null check (kind in ('raa', 'vaa', 'la')),
      region text,
      created_at timestamptz not null default now()
    );

    create table users (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      email text not null,
      name text not null,
      role text not null,
      password_hash text,
      totp_secret text,
      totp_last_step bigint,
      failed_sign_ins integer not null default 0,
      locked_until timestamptz,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index users_email_unique on users (lower(email));
    create index users_agency on users (agency_id);

    create table sessions (
      id text primary key,
      user_id uuid not null references users (id),
      second_factor_done boolean not null default false,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      ended_at timestamptz,
      user_agent text,
      totp_setup_secret text,
      data jsonb not null default '{}'
    );
    create index sessions_user on sessions (user_id);

    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_used_at timestamptz,
      revoked_at timestamptz
    );

    create table sibling_groups (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      created_at timestamptz not null default now()
    );

    create table children (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      first_name text not null,
      last_name text not null,
      preferred_name text,
      date_of_birth date not null,
      sex text not null,
      ethnicity text not null,
      sibling_group_id uuid references sibling_groups (id),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      created_by uuid references users (id),
      updated_by uuid references users (id)
    );
    create index children_agency_name on children (agency_id, last_name, first_name, id);
    create index children_sibling_group on children (sibling_group_id);

    create table audit_events (
      seq bigint generated always as identity primary key,
      what text not null,
      who uuid,
      agency_id uuid,
      "when" timestamptz not null,
      subject_type text,
      subject_id text,
      correlation_id text,
      details jsonb not null default '{}',
      previous_hash text not null,
      hash text not null
    );
    create index audit_events_subject on audit_events (subject_type, subject_id, seq);
    create index audit_events_who on audit_events (who, seq);
    create index audit_events_agency on audit_events (agency_id, seq);
  `.execute(db)
}
