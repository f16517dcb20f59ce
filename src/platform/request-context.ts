import type { FastifyRequest } from 'fastify'
import type { Session } from '../db/schema.ts'
import type { Action, Actor } from './policy.ts'

// What every request carries once the platform has looked at it, and what every route declares.

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor
    /** The signed-in session, when there is one (web pages only; the API uses bearer tokens). */
    session: Session | null
  }
  interface FastifyContextConfig {
    /** The action this route performs; the policy decides who may. Every route must name one. */
    permission?: Action
  }
}

export type StaffActor = Actor & { kind: 'staff' }

/** The member of staff a staff-only route serves: its permission lets nobody else reach it. */
export function staff(request: FastifyRequest): StaffActor {
  if (request.actor.kind !== 'staff')
    throw new Error(`${request.routeOptions.url} needs a signed-in member of staff`)
  return request.actor
}

/** A person signed in, staff or adopter: who a plan's pages serve. */
export type PersonActor = Actor & { kind: 'staff' | 'adopter' }

/** The person a page serves, or null for anyone else (the page then answers not found). */
export function person(request: FastifyRequest): PersonActor | null {
  const actor = request.actor
  return actor.kind === 'staff' || actor.kind === 'adopter' ? actor : null
}
