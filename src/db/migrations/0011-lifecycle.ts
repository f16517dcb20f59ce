import { type Kysely, sql } from 'kysely'

// The plan's life (issue 5): each move from one status to another, who made it, the date it records
// and why; and each team manager's sign-off, tied to the plan's content as it stood (its hash), so a
// change after sign-off is seen without any flag to keep in step.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table plan_transitions (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      from_status text not null,
      to_status text not null,
      on_date date,
      note text,
      version_number integer not null,
      made_by uuid not null references users (id),
      made_at timestamptz not null default now()
    );
    create index plan_transitions_plan on plan_transitions (plan_id, made_at);

    create table plan_sign_offs (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      content_hash text not null,
      version_number integer not null,
      signed_by uuid not null references users (id),
      signed_at timestamptz not null default now()
    );
    create index plan_sign_offs_plan on plan_sign_offs (plan_id, signed_at desc);

    alter table plans add constraint plans_status check (status in
      ('draft', 'with-adopters', 'at-panel', 'match-approved', 'agreed', 'order-made', 'post-order', 'closed'));
  `.execute(db)
}
