import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import sharp from 'sharp'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { childForm } from '../../../test/support/children.ts'
import { addFamily } from '../../../test/support/families.ts'
import { assertNoMetadata, gpsJpeg } from '../../../test/support/photos.ts'
import { WebClient } from '../../../test/support/web-client.ts'

// Photos on the plan's front page through the real app: a phone photo with its GPS position goes
// in and comes out as pixels only; a renamed text file and a 20MB image are refused with the
// description kept; the photo is sent only to those who may read the plan, never cached; every
// view and change is audited.

const idFrom = (location: unknown) => String(location).split('/')[2]?.split('?')[0] as string
const DESCRIPTION = 'Ada laughing on the swings'

describe('photos on the plan’s front page', () => {
  let t: TestApp
  let agencyId: string
  let worker: WebClient
  let planId: string
  let familyId: string

  before(async () => {
    t = await testApp()
    agencyId = await t.addAgency()
    worker = new WebClient(t.app)
    await worker.signIn(await t.addUser(agencyId, 'social-worker'))
    await worker.get('/children/new')
    const childId = idFrom((await worker.post('/children', childForm)).headers.location)
    familyId = await addFamily(worker, agencyId, {
      firstName: 'Sam',
      lastName: 'Reid',
      email: 'sam@home.example',
    })
    await worker.post(`/families/${familyId}/matches`, { childId })
    planId = idFrom((await worker.post(`/children/${childId}/plan`, {})).headers.location)
  })
  after(() => t.close())

  const storedPhotos = () => t.database.db.selectFrom('photos').selectAll().execute()

  test('the front page offers a photo of the child and of each adopter', async () => {
    const page = await worker.get(`/plans/${planId}`)
    assert.match(page.body, /Photos/)
    assert.equal((page.body.match(/No photo yet/g) ?? []).length, 2)
    assert.match(page.body, new RegExp(`href="/plans/${planId}/photos/child">Add`))
    const adopter = await t.database.db
      .selectFrom('adopters')
      .select('id')
      .where('family_id', '=', familyId)
      .executeTakeFirstOrThrow()
    assert.match(page.body, new RegExp(`href="/plans/${planId}/photos/${adopter.id}">Add`))
  })

  test('a renamed text file is refused by its content, and the description typed stays', async () => {
    await worker.get(`/plans/${planId}/photos/child`)
    const refused = await worker.postFiles(
      `/plans/${planId}/photos/child`,
      { description: DESCRIPTION },
      {
        photo: {
          filename: 'holiday.jpg',
          contentType: 'image/jpeg',
          bytes: Buffer.from('Dear diary, today we…'),
        },
      },
    )
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /<title>Error: Photo of/)
    assert.match(refused.body, /href="#photo">The selected file must be a JPG, PNG or HEIC/)
    assert.match(refused.body, new RegExp(`>${DESCRIPTION}</textarea>`))
    assert.equal((await storedPhotos()).length, 0)
  })

  test('a 20MB image is refused as too big, and the description typed stays', async () => {
    const jpeg = await gpsJpeg()
    const huge = Buffer.concat([jpeg, Buffer.alloc(20 * 1024 * 1024 - jpeg.length, 1)])
    const refused = await worker.postFiles(
      `/plans/${planId}/photos/child`,
      { description: DESCRIPTION },
      { photo: { filename: 'big.jpg', contentType: 'image/jpeg', bytes: huge } },
    )
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /The selected file must be smaller than 10MB/)
    assert.match(refused.body, new RegExp(`>${DESCRIPTION}</textarea>`))
    assert.equal((await storedPhotos()).length, 0)
  })

  test('nothing chosen and nothing described: both are asked for', async () => {
    const refused = await worker.postFiles(
      `/plans/${planId}/photos/child`,
      { description: '  ' },
      { photo: { filename: '', contentType: 'application/octet-stream', bytes: Buffer.alloc(0) } },
    )
    assert.equal(refused.statusCode, 422)
    assert.match(refused.body, /href="#description">Enter a short description of the photo/)
    assert.match(refused.body, /href="#photo">Select a photo/)
  })

  test('a phone photo with GPS tags is stored with no EXIF at all, and sent only with no-store', async () => {
    const upload = await gpsJpeg(60, 40)
    assert.ok((await sharp(upload).metadata()).exif, 'the upload carries EXIF')
    const saved = await worker.postFiles(
      `/plans/${planId}/photos/child`,
      { description: DESCRIPTION },
      { photo: { filename: 'IMG_0001.JPG', contentType: 'image/jpeg', bytes: upload } },
    )
    assert.equal(saved.statusCode, 303)
    assert.equal(saved.headers.location, `/plans/${planId}?saved=photo`)
    const [stored] = await storedPhotos()
    assert.ok(stored)
    await assertNoMetadata(Buffer.from(stored.bytes))
    assert.deepEqual(
      [stored.media_type, stored.width, stored.height, stored.description],
      ['image/jpeg', 60, 40, DESCRIPTION],
    )

    const page = await worker.get(`/plans/${planId}?saved=photo`)
    assert.match(page.body, /Photo saved/)
    assert.match(
      page.body,
      new RegExp(`<img class="app-photo" src="/plans/${planId}/photos/child/image" alt="${DESCRIPTION}"`),
    )
    const image = await worker.get(`/plans/${planId}/photos/child/image`)
    assert.equal(image.statusCode, 200)
    assert.equal(image.headers['content-type'], 'image/jpeg')
    assert.equal(image.headers['cache-control'], 'no-store')
    assert.deepEqual(image.rawPayload, Buffer.from(stored.bytes))
    const viewed = await t.database.db
      .selectFrom('audit_events')
      .select(['what', 'details'])
      .where('what', 'in', ['photo-added', 'photo-viewed'])
      .orderBy('seq')
      .execute()
    assert.deepEqual(
      viewed.map((event) => event.what),
      ['photo-added', 'photo-viewed'],
    )
    assert.doesNotMatch(JSON.stringify(viewed), /Ada|Reid/, 'no names in the audit details')
  })

  test('nobody outside the plan sees or changes the photo; an adopter sees it once the plan is shared', async () => {
    const stranger = new WebClient(t.app)
    await stranger.signIn(await t.addUser(await t.addAgency(), 'social-worker'))
    assert.equal((await stranger.get(`/plans/${planId}/photos/child/image`)).statusCode, 404)
    assert.equal((await stranger.get(`/plans/${planId}/photos/child`)).statusCode, 404)
    const upload = await stranger.postFiles(
      `/plans/${planId}/photos/child`,
      { description: 'Not theirs' },
      { photo: { filename: 'a.jpg', contentType: 'image/jpeg', bytes: await gpsJpeg() } },
    )
    assert.equal(upload.statusCode, 404)

    const anonymous = await t.app.inject({ method: 'GET', url: `/plans/${planId}/photos/child/image` })
    assert.equal(anonymous.statusCode, 303)
    assert.equal(anonymous.headers.location, '/sign-in')

    const adopter = new WebClient(t.app)
    await adopter.signIn(await t.addAdopterAccount(familyId, agencyId))
    assert.equal(
      (await adopter.get(`/plans/${planId}/photos/child/image`)).statusCode,
      404,
      'not before sharing',
    )
    await t.database.db
      .updateTable('plans')
      .set({ status: 'with-adopters' })
      .where('id', '=', planId)
      .execute()
    assert.equal((await adopter.get(`/plans/${planId}/photos/child/image`)).statusCode, 200)
    assert.equal(
      (await adopter.get(`/plans/${planId}/photos/child`)).statusCode,
      403,
      'adopters do not change photos',
    )
    await t.database.db.updateTable('plans').set({ status: 'draft' }).where('id', '=', planId).execute()
  })

  test('an upload without the form’s token is refused', async () => {
    const forged = new WebClient(t.app)
    forged.cookies.clear()
    for (const [name, value] of worker.cookies) forged.cookies.set(name, value)
    forged.csrf = 'forged'
    const response = await forged.postFiles(
      `/plans/${planId}/photos/child`,
      { description: 'Forged' },
      { photo: { filename: 'a.jpg', contentType: 'image/jpeg', bytes: await gpsJpeg() } },
    )
    assert.equal(response.statusCode, 403)
    assert.equal((await storedPhotos()).length, 1)
  })

  test('removing the photo asks first, then it is never shown again but kept with the records', async () => {
    const ask = await worker.get(`/plans/${planId}/photos/child/remove`)
    assert.match(ask.body, /Are you sure you want to remove the photo of/)
    const unanswered = await worker.post(`/plans/${planId}/photos/child/remove`, {})
    assert.match(unanswered.body, /Select yes if you want to remove the photo/)
    const removed = await worker.post(`/plans/${planId}/photos/child/remove`, { confirm: 'yes' })
    assert.equal(removed.headers.location, `/plans/${planId}?saved=photo-removed`)
    const [kept] = await storedPhotos()
    assert.ok(kept?.removed_at, 'marked removed, not deleted')
    assert.equal((await worker.get(`/plans/${planId}/photos/child/image`)).statusCode, 404)
    assert.equal((await worker.get(`/plans/${planId}`)).body.match(/No photo yet/g)?.length, 2)
  })
})
