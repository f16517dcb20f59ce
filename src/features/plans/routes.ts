import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { placingAuthorityResponsibilityEnds } from '../../plan/after-order.ts'
import {
  displayAnswer,
  fieldOrder,
  formFieldsOf,
  type Item,
  parseAnswers,
  parseItem,
  type SectionContent,
  STATUS_TEXT,
} from '../../plan/answers.ts'
import { type Conflict, compareFields, itemTitle } from '../../plan/changes.ts'
import {
  type ListDefinition,
  PLAN,
  type SectionDefinition,
  sectionDefinition,
} from '../../plan/definition.ts'
import { hintsUnder } from '../../plan/guidance.ts'
import { type PlanStatus, STATUS_NAMES } from '../../plan/lifecycle.ts'
import { flattenSnapshot, type PlanSnapshot } from '../../plan/versions.ts'
import { londonTime } from '../../platform/dates.ts'
import { formFields, fromFieldErrors, wholeNumber } from '../../platform/forms.ts'
import { can } from '../../platform/policy.ts'
import { RenderedCache, renderKept } from '../../platform/rendered-cache.ts'
import { person } from '../../platform/request-context.ts'
import type { Services } from '../../services.ts'
import { adoptersPartOnFrontPage, adoptersPartRead } from '../adopters-part/front-page.ts'
import { lifecycleRead, transitionsRead } from './lifecycle.ts'
import type { PlanIds } from './service.ts'

// The plan's pages: the front page and task list; a page per section with its questions and lists
// ("add another"); a page per list item; check your answers with "Have you completed this
// section?"; the history of changes; versions, and two versions side by side. All drawn from the
// plan's definition. Buttons inside the section's form save what was typed before going anywhere.

const SAVED: Record<string, string> = {
  created: 'Plan started',
  version: 'Version saved',
  moved: 'The plan has moved on: a new version is kept',
  'signed-off': 'Plan signed off: a new version is kept',
  photo: 'Photo saved',
  'photo-removed': 'Photo removed',
  meeting: 'Planning meeting recorded',
}

/** A form shown again: what was typed, what is wrong, what collided, and the version to save on. */
type TypedPage = {
  values?: Record<string, string>
  errors?: Record<string, string>
  conflicts?: Conflict[]
  changedBy?: string[]
  version?: number
}

type ItemView = Item & { title: string; display: Record<string, string> }

/** A section's answers and lists as a page shows them: every answer in words, every item titled. */
export function sectionView(
  definition: SectionDefinition,
  content: SectionContent,
  names: Map<string, string>,
) {
  return {
    answers: Object.fromEntries(
      definition.questions.map((question) => [
        question.key,
        displayAnswer(question, content.answers[question.key] ?? null, names),
      ]),
    ),
    lists: Object.fromEntries(
      definition.lists.map((list) => [list.key, itemViews(list, content.lists[list.key] ?? [], names)]),
    ),
  }
}

export function itemViews(list: ListDefinition, items: Item[], names: Map<string, string>): ItemView[] {
  return items.map((item) => ({
    ...item,
    title: itemTitle(list, item, names),
    display: Object.fromEntries(
      list.questions.map((question) => [
        question.key,
        displayAnswer(question, item.answers[question.key] ?? null, names),
      ]),
    ),
  }))
}

const reviewsRecorded = (count: number) =>
  count === 0 ? 'No review recorded yet' : count === 1 ? '1 review recorded' : `${count} reviews recorded`

const memberOptions = (names: Map<string, string>) => [...names].map(([id, name]) => ({ id, name }))

const byField = (conflicts: Conflict[]) =>
  Object.fromEntries(conflicts.map((conflict) => [conflict.field, conflict]))

export async function planRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { plans, guidance } = services
  // About 40 large plans' whole-plan tables (a few hundred KB each); a version never changes.
  const versionTables = new RenderedCache(16_000_000)
  // Sections' answers and lists as their pages show them (100 to 200 KB for a large section), kept
  // under a digest of what they show: a save shows new content, which is rendered anew.
  const sectionParts = new RenderedCache(16_000_000)
  // The front pages' summaries and task lists (a few KB each), kept the same way.
  const frontPageParts = new RenderedCache(4_000_000)
  /** The items of each list as the kept parts show them: their words, not their stored values. */
  const shownItems = (definition: SectionDefinition, lists: Record<string, ItemView[]>) =>
    Object.fromEntries(
      definition.lists.map((list) => [
        list.key,
        (lists[list.key] ?? []).map(({ id, title, shared, display }) => ({ id, title, shared, display })),
      ]),
    )

  app.post<{ Params: { id: string } }>(
    '/children/:id/plan',
    { config: { permission: 'plan:create' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff') return reply.callNotFound()
      const result = await plans.create(actor, request.params.id, request.id)
      if (result.outcome !== 'created') return reply.callNotFound()
      return reply.redirect(`/plans/${result.planId}?saved=created`, 303)
    },
  )

  // Everything the front page shows comes with the plan, in one query (src/platform/reads.ts),
  // built and prepared once: these are the same reads on every request.
  const frontPageReads = (ids: PlanIds) => ({
    lifecycle: lifecycleRead(services.db, ids),
    reviews: services.reviews.frontPageRead(ids),
    adopters: services.families.adoptersRead(ids.familyId),
    photos: services.photos.photosRead(ids),
    moves: transitionsRead(services.db, ids.id),
    adoptersPart: adoptersPartRead(services, ids),
  })

  app.get<{ Params: { id: string } }>(
    '/plans/:id',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const found = actor && (await plans.overview(actor, request.params.id, request.id, frontPageReads))
      if (!actor || !found) return reply.callNotFound()
      const { plan, sections, read } = found
      const access = plan.access
      const canEdit = can(actor, 'plan:update', access)
      const next = actor.kind === 'staff' ? await services.lifecycle.next(actor, plan, read.lifecycle) : null
      const canSignOff =
        actor.kind === 'staff' &&
        can(actor, 'plan:sign-off', access) &&
        (plan.status === 'draft' || plan.status === 'with-adopters')
      const reviewsShown = read.reviews
      const tasks = sections.map((section) => {
        const definition = sectionDefinition(section.key) as SectionDefinition
        const status = section.status
        const tag =
          status === 'completed'
            ? { text: STATUS_TEXT[status] }
            : status === 'in-progress'
              ? { tag: { text: STATUS_TEXT[status], classes: 'govuk-tag--light-blue' } }
              : status === 'not-started'
                ? { tag: { text: STATUS_TEXT[status], classes: 'govuk-tag--blue' } }
                : { text: STATUS_TEXT[status], classes: 'govuk-task-list__status--cannot-start-yet' }
        const linkable = canEdit && status !== 'cannot-start'
        // Section 5 holds the reviews' records, from the placement (or the authority to place) on:
        // anyone who reads the plan reads them there.
        const { placedOn, authorityToPlaceOn } = reviewsShown.placement
        if (definition.key === 'review' && (placedOn || authorityToPlaceOn || reviewsShown.recorded > 0))
          return {
            title: { text: `${definition.number}. ${definition.title}` },
            hint: { text: definition.filledElsewhere },
            href: `/plans/${plan.id}/sections/review`,
            status: { text: reviewsRecorded(reviewsShown.recorded) },
          }
        // Whoever reads the plan without writing it reads each section, and may comment (ADR 0016).
        const readHref =
          canEdit || status === 'cannot-start'
            ? undefined
            : `/plans/${plan.id}/sections/${definition.key}/read`
        return {
          title: { text: `${definition.number}. ${definition.title}` },
          hint: definition.filledElsewhere ? { text: definition.filledElsewhere } : undefined,
          href: linkable
            ? `/plans/${plan.id}/sections/${definition.key}${status === 'completed' ? '/check' : ''}`
            : readHref,
          status: tag,
        }
      })
      const adopters = read.adopters
      const photos = services.photos.subjectsWith(await services.photos.peopleOf(plan, adopters), read.photos)
      const saved = String((request.query as Record<string, unknown>).saved ?? '')
      // The bulk of the page, kept under a digest of all it shows (a few kilobytes of JSON).
      const summary = {
        plan: {
          id: plan.id,
          dateAgreed: plan.dateAgreed,
          child: {
            firstName: plan.child.firstName,
            lastName: plan.child.lastName,
            dateOfBirth: plan.child.dateOfBirth,
          },
        },
        adopters: adopters.map(({ first_name, last_name, date_of_birth }) => ({
          first_name,
          last_name,
          date_of_birth,
        })),
        reviews: { datesUpdated: reviewsShown.datesUpdated },
        statusText: STATUS_NAMES[plan.status as PlanStatus] ?? plan.status,
        photos,
        canEdit,
        tasks,
        completedCount: sections.filter((section) => section.status === 'completed').length,
        editableCount: sections.filter((section) => section.status !== 'cannot-start').length,
        ...adoptersPartOnFrontPage(actor, access, read.adoptersPart),
      }
      const summaryHtml = renderKept(
        frontPageParts,
        app.views,
        'plans/views/front-page-parts.njk',
        [JSON.stringify(summary)],
        () => summary,
      )
      return reply.renderAround(
        'plans/views/plan.njk',
        {
          title: `Adoption support plan: ${plan.child.firstName} ${plan.child.lastName}`,
          plan,
          next,
          canSignOff,
          birthFamily: actor.kind === 'staff' && can(actor, 'plan:birth-family-read', access),
          moves: read.moves,
          reviews: reviewsShown,
          supportResponsibilityEnds: reviewsShown.placement.orderOn
            ? placingAuthorityResponsibilityEnds(reviewsShown.placement.orderOn)
            : null,
          canPlace: actor.kind === 'staff' && can(actor, 'plan:placement', access),
          statusNames: STATUS_NAMES,
          saved: SAVED[saved] ?? null,
        },
        { name: 'summaryHtml', bytes: summaryHtml },
      )
    },
  )

  /** What a section's form shows besides the section: the agency's hints, the adopters' own views. */
  const formReads = (ids: PlanIds) => ({
    hints: guidance.hintsRead(ids.agencyId),
    ownViews: services.adoptersPart.views.latestRead(ids.id),
  })

  async function showSection(
    request: FastifyRequest,
    reply: FastifyReply,
    planId: string,
    key: string,
    overrides: TypedPage = {},
  ) {
    const actor = person(request)
    const found = actor && (await plans.section(actor, planId, key, request.id, 'plan:update', formReads))
    if (!found || found.definition.filledElsewhere) return reply.callNotFound()
    const { plan, definition, state, memberNames, contentText, read } = found
    const errors = overrides.errors ?? {}
    const order = fieldOrder(definition.questions)
    const conflicted = overrides.conflicts && overrides.conflicts.length > 0
    const hints = hintsUnder(read.hints, definition.key)
    const ownViews = definition.key === 'adopters' ? read.ownViews : null
    const questions = () => ({
      definition,
      values: overrides.values ?? formFieldsOf(definition.questions, state.content.answers),
      members: memberOptions(memberNames),
      hints,
      ownViews,
    })
    // Both parts are made of the section's content (its text as the database gave it: the answers,
    // the lists and the names of the people they name), the agency's hints and the adopters' views.
    const madeOf = [definition.key, contentText, JSON.stringify(hints), JSON.stringify(ownViews)]
    // What was typed, and errors or conflicts to show, are this request's own: rendered, not kept.
    const typed = overrides.values !== undefined || Object.keys(errors).length > 0 || conflicted
    const questionsHtml = typed
      ? Buffer.from(
          app.views.render('plans/views/section-questions.njk', {
            ...questions(),
            errors,
            conflicts: conflicted ? byField(overrides.conflicts ?? []) : null,
          }),
        )
      : renderKept(sectionParts, app.views, 'plans/views/section-questions.njk', madeOf, questions)
    const listsHtml = renderKept(sectionParts, app.views, 'plans/views/section-lists.njk', madeOf, () => ({
      definition,
      hints,
      lists: shownItems(
        definition,
        Object.fromEntries(
          definition.lists.map((list) => [
            list.key,
            itemViews(list, state.content.lists[list.key] ?? [], memberNames),
          ]),
        ),
      ),
    }))
    return reply.renderAround(
      'plans/views/section.njk',
      {
        title: `${definition.number}. ${definition.title}`,
        plan,
        definition,
        version: overrides.version ?? state.version,
        conflicts: conflicted ? byField(overrides.conflicts ?? []) : null,
        changedBy: overrides.changedBy ?? [],
        ...(Object.keys(errors).length > 0 ? fromFieldErrors(errors, order) : {}),
      },
      [
        { name: 'questionsHtml', bytes: questionsHtml },
        { name: 'listsHtml', bytes: listsHtml },
      ],
    )
  }

  app.get<{ Params: { id: string; key: string } }>(
    '/plans/:id/sections/:key',
    { config: { permission: 'plan:update' } },
    async (request, reply) => showSection(request, reply, request.params.id, request.params.key),
  )

  /** A section's form as posted: who, which section, what was typed and what it says. */
  function postedSection(request: FastifyRequest<{ Params: { id: string; key: string } }>) {
    const actor = person(request)
    const definition = sectionDefinition(request.params.key)
    if (!actor || !definition || definition.filledElsewhere) return null
    const fields = formFields(request.body)
    const parsed = parseAnswers(definition.questions, fields)
    return { actor, definition, fields, parsed, baseVersion: wholeNumber(fields.version) ?? -1 }
  }

  app.post<{ Params: { id: string; key: string } }>(
    '/plans/:id/sections/:key',
    { config: { permission: 'plan:update' } },
    async (request, reply) => {
      const posted = postedSection(request)
      if (!posted) return reply.callNotFound()
      const { actor, definition, fields, parsed, baseVersion } = posted
      const { id } = request.params
      if (!parsed.ok)
        return showSection(request, reply, id, definition.key, { values: fields, errors: parsed.errors })
      const saved = await plans.saveAnswers(
        actor,
        id,
        definition.key,
        baseVersion,
        parsed.answers,
        request.id,
      )
      if (saved.outcome === 'not-found') return reply.callNotFound()
      if (saved.outcome === 'conflict') {
        return showSection(request, reply, id, definition.key, {
          values: { ...fields, ...formFieldsOf(definition.questions, saved.answers) },
          conflicts: saved.conflicts,
          changedBy: saved.changedBy,
          version: saved.version,
        })
      }
      const base = `/plans/${id}/sections/${definition.key}`
      const [action = 'save', listKey = '', itemId = ''] = (fields.action ?? 'save').split(':')
      const list = definition.lists.find((candidate) => candidate.key === listKey)
      if (action === 'add' && list) return reply.redirect(`${base}/${list.key}/new`, 303)
      if (action === 'change' && list && itemId) return reply.redirect(`${base}/${list.key}/${itemId}`, 303)
      if (action === 'remove' && list && itemId)
        return reply.redirect(`${base}/${list.key}/${itemId}/remove`, 303)
      return reply.redirect(`${base}/check`, 303)
    },
  )

  // The section's form saved while the person types (assets/js/autosave.js): the same checks and
  // the same save as its button, answered in JSON. Answers not valid yet save nothing (422) and are
  // left for the button to report; a page someone else has saved since is never merged (409): the
  // button shows both versions (ADR 0011).
  app.post<{ Params: { id: string; key: string } }>(
    '/plans/:id/sections/:key/autosave',
    { config: { permission: 'plan:update' } },
    async (request, reply) => {
      const posted = postedSection(request)
      if (!posted) return reply.callNotFound()
      const { actor, definition, parsed, baseVersion } = posted
      if (!parsed.ok) return reply.code(422).send({ saved: false, reason: 'invalid' })
      const saved = await plans.saveAnswers(
        actor,
        request.params.id,
        definition.key,
        baseVersion,
        parsed.answers,
        request.id,
        'refuse',
      )
      if (saved.outcome === 'not-found') return reply.callNotFound()
      if (saved.outcome !== 'saved') return reply.code(409).send({ saved: false, reason: 'stale' })
      const now = new Date()
      return reply.send({ version: saved.version, savedAt: now.toISOString(), time: londonTime(now) })
    },
  )

  type ItemParams = { id: string; key: string; list: string; itemId?: string }

  async function itemContext(request: FastifyRequest<{ Params: ItemParams }>) {
    const actor = person(request)
    const { id, key, list: listKey, itemId } = request.params
    const found = actor && (await plans.section(actor, id, key, request.id, 'plan:update', formReads))
    const list = found?.definition.lists.find((candidate) => candidate.key === listKey)
    if (!actor || !found || !list) return null
    const item = itemId
      ? (found.state.content.lists[list.key] ?? []).find((candidate) => candidate.id === itemId)
      : undefined
    if (itemId && !item) return null
    return { actor, ...found, list, item }
  }

  async function showItem(
    request: FastifyRequest<{ Params: ItemParams }>,
    reply: FastifyReply,
    overrides: TypedPage = {},
  ) {
    const context = await itemContext(request)
    if (!context) return reply.callNotFound()
    const { plan, definition, state, list, item, memberNames, read } = context
    const base = `/plans/${plan.id}/sections/${definition.key}`
    const errors = overrides.errors ?? {}
    const order = fieldOrder(list.questions)
    const values = overrides.values ?? {
      ...formFieldsOf(list.questions, item?.answers ?? {}),
      shared: item?.shared ? 'yes' : '',
    }
    return reply.render('plans/views/item.njk', {
      title: item
        ? `Change ${list.itemName}: ${itemTitle(list, item, memberNames)}`
        : `Add a ${list.itemName}`,
      plan,
      definition,
      list,
      action: item ? `${base}/${list.key}/${item.id}` : `${base}/${list.key}/new`,
      back: `${base}#${list.key}`,
      version: overrides.version ?? state.version,
      values,
      members: memberOptions(memberNames),
      hints: hintsUnder(read.hints, `${definition.key}.${list.key}`),
      canShare: list.sharedBySiblings === true && plan.child.siblingGroupId !== null && !item,
      conflicts: overrides.conflicts?.length ? byField(overrides.conflicts) : null,
      changedBy: overrides.changedBy ?? [],
      ...(Object.keys(errors).length > 0 ? fromFieldErrors(errors, order) : {}),
    })
  }

  for (const path of ['/plans/:id/sections/:key/:list/new', '/plans/:id/sections/:key/:list/:itemId']) {
    app.get<{ Params: ItemParams }>(path, { config: { permission: 'plan:update' } }, async (request, reply) =>
      showItem(request, reply),
    )
    app.post<{ Params: ItemParams }>(
      path,
      { config: { permission: 'plan:update' } },
      async (request, reply) => {
        const context = await itemContext(request)
        if (!context) return reply.callNotFound()
        const { actor, plan, definition, list, item } = context
        const fields = formFields(request.body)
        const parsed = parseItem(list, fields)
        if (!parsed.ok) return showItem(request, reply, { values: fields, errors: parsed.errors })
        const saved = await plans.saveItem(
          actor,
          plan.id,
          definition.key,
          list,
          item?.id ?? null,
          wholeNumber(fields.version) ?? -1,
          parsed.answers,
          {
            shared: fields.shared === 'yes',
            correlationId: request.id,
          },
        )
        if (saved.outcome === 'not-found') return reply.callNotFound()
        if (saved.outcome === 'conflict') {
          return showItem(request, reply, {
            values: { ...fields, ...formFieldsOf(list.questions, saved.answers) },
            conflicts: saved.conflicts,
            changedBy: saved.changedBy,
            version: saved.version,
          })
        }
        return reply.redirect(`/plans/${plan.id}/sections/${definition.key}#${list.key}`, 303)
      },
    )
  }

  const removePath = '/plans/:id/sections/:key/:list/:itemId/remove'
  async function showRemove(
    request: FastifyRequest<{ Params: ItemParams }>,
    reply: FastifyReply,
    errors: Record<string, string> = {},
  ) {
    const context = await itemContext(request)
    if (!context?.item) return reply.callNotFound()
    const { plan, definition, list, item, memberNames } = context
    const base = `/plans/${plan.id}/sections/${definition.key}`
    return reply.render('plans/views/remove.njk', {
      title: `Are you sure you want to remove this ${list.itemName}?`,
      itemTitle: itemTitle(list, item, memberNames),
      action: `${base}/${list.key}/${item.id}/remove`,
      back: `${base}#${list.key}`,
      ...(errors.confirm ? fromFieldErrors(errors, ['confirm']) : {}),
    })
  }
  app.get<{ Params: ItemParams }>(
    removePath,
    { config: { permission: 'plan:update' } },
    async (request, reply) => showRemove(request, reply),
  )
  app.post<{ Params: ItemParams }>(
    removePath,
    { config: { permission: 'plan:update' } },
    async (request, reply) => {
      const context = await itemContext(request)
      if (!context?.item) return reply.callNotFound()
      const { actor, plan, definition, list, item } = context
      const confirm = formFields(request.body).confirm
      if (confirm !== 'yes' && confirm !== 'no') {
        return showRemove(request, reply, {
          confirm: `Select yes if you want to remove this ${list.itemName}`,
        })
      }
      if (confirm === 'yes') {
        const removed = await plans.removeItem(actor, plan.id, definition.key, list, item.id, request.id)
        if (removed.outcome === 'not-found') return reply.callNotFound()
      }
      return reply.redirect(`/plans/${plan.id}/sections/${definition.key}#${list.key}`, 303)
    },
  )

  async function showCheck(
    request: FastifyRequest<{ Params: { id: string; key: string } }>,
    reply: FastifyReply,
    errors: Record<string, string> = {},
  ) {
    const actor = person(request)
    const found =
      actor && (await plans.section(actor, request.params.id, request.params.key, request.id, 'plan:update'))
    if (!found || found.definition.filledElsewhere) return reply.callNotFound()
    const { plan, definition, state, memberNames } = found
    // Made of the section's content, its text as the database gave it (with the names it shows).
    const answersHtml = renderKept(
      sectionParts,
      app.views,
      'plans/views/check-answers.njk',
      [plan.id, definition.key, found.contentText],
      () => {
        const shown = sectionView(definition, state.content, memberNames)
        return {
          planId: plan.id,
          definition,
          answers: shown.answers,
          lists: shownItems(definition, shown.lists),
        }
      },
    )
    return reply.renderAround(
      'plans/views/check.njk',
      {
        title: `Check your answers: ${definition.title}`,
        plan,
        definition,
        completed: state.completed,
        touched: state.status !== 'not-started',
        ...(errors.completed ? fromFieldErrors(errors, ['completed']) : {}),
      },
      { name: 'answersHtml', bytes: answersHtml },
    )
  }

  app.get<{ Params: { id: string; key: string } }>(
    '/plans/:id/sections/:key/check',
    { config: { permission: 'plan:update' } },
    async (request, reply) => showCheck(request, reply),
  )

  app.post<{ Params: { id: string; key: string } }>(
    '/plans/:id/sections/:key/check',
    { config: { permission: 'plan:update' } },
    async (request, reply) => {
      const actor = person(request)
      if (!actor || !sectionDefinition(request.params.key)) return reply.callNotFound()
      const answer = formFields(request.body).completed
      if (answer !== 'yes' && answer !== 'no') {
        return showCheck(request, reply, { completed: 'Select whether you have completed this section' })
      }
      const result = await plans.setCompleted(
        actor,
        request.params.id,
        request.params.key,
        answer === 'yes',
        request.id,
      )
      if (result.outcome === 'not-found') return reply.callNotFound()
      if (result.outcome === 'incomplete') {
        return showCheck(request, reply, {
          completed: `You cannot mark this section as completed yet. ${result.missing.join('. ')}.`,
        })
      }
      return reply.redirect(`/plans/${request.params.id}`, 303)
    },
  )

  app.get<{ Params: { id: string } }>(
    '/plans/:id/history',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const found = actor && (await plans.history(actor, request.params.id, request.id))
      if (!found) return reply.callNotFound()
      return reply.render('plans/views/history.njk', {
        title: 'Every change to this plan',
        plan: found.plan,
        changes: found.changes,
        sectionTitles: Object.fromEntries(
          PLAN.map((section) => [section.key, `${section.number}. ${section.title}`]),
        ),
      })
    },
  )

  app.get<{ Params: { id: string } }>(
    '/plans/:id/versions',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const found = actor && (await plans.versions(actor, request.params.id))
      if (!actor || !found) return reply.callNotFound()
      const saved = String((request.query as Record<string, unknown>).saved ?? '')
      return reply.render('plans/views/versions.njk', {
        title: 'Versions of this plan',
        plan: found.plan,
        versions: found.versions,
        canTake: can(actor, 'plan:version', await plans.facts(found.plan)),
        saved: SAVED[saved] ?? null,
      })
    },
  )

  app.post<{ Params: { id: string } }>(
    '/plans/:id/versions',
    { config: { permission: 'plan:version' } },
    async (request, reply) => {
      const actor = request.actor
      if (actor.kind !== 'staff') return reply.callNotFound()
      const taken = await plans.takeVersion(actor, request.params.id, 'Saved by the lead worker', request.id)
      if (taken.outcome === 'not-found') return reply.callNotFound()
      return reply.redirect(`/plans/${request.params.id}/versions?saved=version`, 303)
    },
  )

  app.get<{ Params: { id: string; number: string } }>(
    '/plans/:id/versions/:number',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const number = Number(request.params.number)
      // The table of every field is rendered once for each version: the database refuses to change
      // a version, so what was rendered stays true. The access check and the audit run every time.
      const key = `${request.params.id}/${number}`
      const kept = versionTables.get(key)
      const found = actor && (await plans.version(actor, request.params.id, number, request.id, !kept))
      if (!found) return reply.callNotFound()
      const fieldsTable =
        kept ??
        Buffer.from(
          app.views.render('plans/views/version-fields.njk', {
            version: found.version,
            fields: flattenSnapshot(found.version.content as PlanSnapshot),
          }),
        )
      if (!kept) versionTables.set(key, fieldsTable)
      return reply.renderAround(
        'plans/views/version.njk',
        { title: `Version ${found.version.number}`, plan: found.plan, version: found.version },
        { name: 'fieldsTable', bytes: fieldsTable },
      )
    },
  )

  app.get<{ Params: { id: string } }>(
    '/plans/:id/compare',
    { config: { permission: 'plan:view' } },
    async (request, reply) => {
      const actor = person(request)
      const query = request.query as Record<string, unknown>
      const from = Number(query.from)
      const to = Number(query.to)
      if (!actor) return reply.callNotFound()
      const [left, right] = await Promise.all([
        plans.version(actor, request.params.id, from, request.id),
        plans.version(actor, request.params.id, to, request.id),
      ])
      if (!left || !right) return reply.callNotFound()
      const rows = compareFields(
        flattenSnapshot(left.version.content),
        flattenSnapshot(right.version.content),
      )
      const onlyChanged = query.all !== 'yes'
      return reply.render('plans/views/compare.njk', {
        title: `Version ${left.version.number} and version ${right.version.number}`,
        plan: left.plan,
        left: left.version,
        right: right.version,
        rows: onlyChanged ? rows.filter((row) => row.changed) : rows,
        changedCount: rows.filter((row) => row.changed).length,
        onlyChanged,
      })
    },
  )
}
