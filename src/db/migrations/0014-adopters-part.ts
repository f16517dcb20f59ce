import { type Kysely, sql } from 'kysely'

// The adopters' part of the plan (issue 5, ADR 0016): their comments on the draft and the workers'
// answers; their own views; their acknowledgement of the agreed version; their requests for a
// review and the answers; and the adoption support planning meetings. Each row says who and when,
// so that what is unanswered, and the Adoption UK Barometer's figures, are worked out from dates and
// never kept as flags. Nothing here is deleted: a comment is resolved, a view written again.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table plan_comments (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      section text not null check (section in ('network', 'child', 'adopters', 'birth-family', 'review')),
      -- The section's version the adopter was reading, so the answer knows what they saw.
      section_version integer not null,
      body text not null,
      written_by uuid not null references users (id),
      written_at timestamptz not null default now(),
      resolved_at timestamptz,
      resolved_by uuid references users (id),
      check ((resolved_at is null) = (resolved_by is null))
    );
    create index plan_comments_plan on plan_comments (plan_id, written_at);

    -- A comment's thread: the workers' answers and the adopters' replies, in order.
    create table plan_comment_replies (
      id uuid primary key default gen_random_uuid(),
      comment_id uuid not null references plan_comments (id),
      author_kind text not null check (author_kind in ('staff', 'adopter')),
      body text not null,
      written_by uuid not null references users (id),
      written_at timestamptz not null default now()
    );
    create index plan_comment_replies_comment on plan_comment_replies (comment_id, written_at);

    -- The adopters' views in their own words; the latest is shown, the earlier ones are kept.
    create table plan_adopter_views (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      views text not null,
      written_by uuid not null references users (id),
      written_at timestamptz not null default now()
    );
    create index plan_adopter_views_plan on plan_adopter_views (plan_id, written_at desc);

    create table plan_acknowledgements (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null,
      version_number integer not null,
      content_hash text not null,
      typed_name text not null,
      acknowledged_on date not null,
      acknowledged_by uuid not null references users (id),
      acknowledged_at timestamptz not null default now(),
      foreign key (plan_id, version_number) references plan_versions (plan_id, number),
      unique (plan_id, version_number, acknowledged_by)
    );

    create table plan_review_requests (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      reason text not null,
      asked_by uuid not null references users (id),
      asked_at timestamptz not null default now(),
      answer text,
      answered_by uuid references users (id),
      answered_at timestamptz,
      check ((answered_at is null) = (answer is null) and (answered_at is null) = (answered_by is null))
    );
    create index plan_review_requests_plan on plan_review_requests (plan_id, asked_at);
    create index plan_review_requests_unanswered on plan_review_requests (asked_at) where answered_at is null;

    create table plan_meetings (
      id uuid primary key default gen_random_uuid(),
      plan_id uuid not null references plans (id),
      held_on date not null,
      attended text not null,
      support_service text not null,
      agreed text not null,
      recorded_by uuid not null references users (id),
      recorded_at timestamptz not null default now()
    );
    create index plan_meetings_plan on plan_meetings (plan_id, held_on);
  `.execute(db)
}
