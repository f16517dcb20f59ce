import { type Kysely, sql } from 'kysely'

// Reviews of the plan (issue 5; AAR 2005 reg 36). Each review is one row: the social worker's part
// written before it (how the child's and family's needs have changed, the child's and the adopters'
// views) and the independent reviewing officer's part after it (recommendations that add to or change
// the support, the decision on visits), each with who wrote it and when. The schedule is never
// stored: src/plan/reviews.ts works it out from the dates held and the placement's dates. The date
// the agency was first authorised to place the child starts the schedule before placement.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table plans add column authority_to_place_on date;

    create table plan_reviews (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      kind text not null check (kind in ('scheduled', 'extra-requested', 'urgent')),
      reason text,
      status text not null default 'preparing' check (status in ('preparing', 'ready', 'recorded')),
      started_by uuid not null references users (id),
      started_at timestamptz not null default now(),
      needs_changed text,
      child_views text,
      adopters_views text,
      before_by uuid references users (id),
      before_at timestamptz,
      held_on date,
      recommendations text,
      visit_frequency text,
      after_by uuid references users (id),
      after_at timestamptz,
      recorded_at timestamptz,
      check ((status = 'recorded') = (held_on is not null and recorded_at is not null)),
      check (status = 'preparing' or before_at is not null)
    );
    create index plan_reviews_plan on plan_reviews (plan_id, started_at);
    -- One review in preparation at a time: it is recorded before the next is started.
    create unique index plan_reviews_one_open on plan_reviews (plan_id) where status <> 'recorded';
  `.execute(db)
}
