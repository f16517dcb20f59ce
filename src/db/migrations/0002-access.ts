import { type Kysely, sql } from 'kysely'

// Who may reach which child (allocations), invitations to set up an account, and an audit log that
// nobody can rewrite: not the application, not an administrator using it.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table allocations (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agencies (id),
      child_id uuid not null references children (id),
      user_id uuid not null references users (id),
      allocated_by uuid references users (id),
      allocated_at timestamptz not null default now(),
      ended_at timestamptz,
      ended_by uuid references users (id)
    );
    create unique index allocations_current on allocations (child_id, user_id) where ended_at is null;
    create index allocations_user on allocations (user_id) where ended_at is null;

    create table invitations (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid not null references users (id),
      invited_by uuid references users (id),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index invitations_user on invitations (user_id);

    alter table users add column deactivated_at timestamptz;

    create function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit events are append-only: % is not allowed', tg_op;
    end;
    $$;
    create trigger audit_events_append_only
      before update or delete on audit_events
      for each row execute function audit_events_append_only();
    create trigger audit_events_no_truncate
      before truncate on audit_events
      for each statement execute function audit_events_append_only();
  `.execute(db)
}
