import { type Kysely, sql } from 'kysely'

// Appending to the audit log in one round trip instead of four (the chain's lock, the last hash,
// the insert, and a transaction around them): a function that does the three steps inside the
// database. Each statement in it sees what was committed before it ran, so the last hash is read
// after the lock is held, as before. The event's canonical text is still made by the application
// (src/platform/audit.ts), and the hash is the same SHA-256 of the previous hash followed by it, so
// `audit verify` checks old and new events alike.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function audit_append(
      p_what text,
      p_who uuid,
      p_agency_id uuid,
      p_when timestamptz,
      p_subject_type text,
      p_subject_id text,
      p_correlation_id text,
      p_details jsonb,
      p_canonical text,
      p_lock bigint
    ) returns void language plpgsql as $$
    declare
      previous text;
    begin
      perform pg_advisory_xact_lock(p_lock);
      select hash into previous from audit_events order by seq desc limit 1;
      previous := coalesce(previous, repeat('0', 64));
      insert into audit_events
        (what, who, agency_id, "when", subject_type, subject_id, correlation_id, details, previous_hash, hash)
      values
        (p_what, p_who, p_agency_id, p_when, p_subject_type, p_subject_id, p_correlation_id, p_details,
         previous, encode(sha256(convert_to(previous || p_canonical, 'UTF8')), 'hex'));
    end
    $$;
  `.execute(db)
}
