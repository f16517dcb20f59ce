import type { FastifyInstance } from 'fastify'

// Pages anyone may read, signed in or not, and the start page that sends people where they work.
export async function pagesRoutes(app: FastifyInstance): Promise<void> {
  const pages = [
    { url: '/accessibility', template: 'pages/views/accessibility.njk', title: 'Accessibility statement' },
    { url: '/privacy', template: 'pages/views/privacy.njk', title: 'Privacy notice' },
    { url: '/cookies', template: 'pages/views/cookies.njk', title: 'Cookies' },
  ]
  for (const page of pages) {
    app.get(page.url, { config: { permission: 'public' } }, async (_request, reply) =>
      reply.render(page.template, { title: page.title }),
    )
  }

  app.get('/', { config: { permission: 'public' } }, async (request, reply) => {
    // Each person's home page (src/features/home): their things to do and their records.
    if (request.actor.kind === 'staff' || request.actor.kind === 'adopter')
      return reply.redirect('/home', 303)
    if (request.actor.kind === 'pending') return reply.redirect('/sign-in/two-factor', 303)
    return reply.redirect('/sign-in', 303)
  })
}
