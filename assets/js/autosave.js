// Saves a plan section's answers as the person writes, where JavaScript runs; the form's own Save
// button does the same without it. The whole form goes, as the button sends it, to the address in
// the form's `data-autosave`, a few seconds after the typing stops and when the person leaves a
// field, never more often than every few seconds. Answers that are not valid yet are left for the
// button to report (the server saves nothing and answers 422). Once someone else has saved the
// section (409), autosave stops and says so: the button shows both versions, and nothing typed is
// ever taken off the page (ADR 0011).

const QUIET_MS = 3000
const MIN_GAP_MS = 5000

const NOT_YET_VALID = 'Some answers are not saved yet. Press ‘Save and continue’ to check them.'
const STALE =
  'Someone else has saved this section since you opened it, so your answers are no longer saved as you type. Nothing you typed is lost: press ‘Save and continue’ to see both versions.'
const FAILED =
  'Your answers could not be saved as you type. They are still here: press ‘Save and continue’ to save them.'

export function startAutosave(document) {
  if (typeof fetch !== 'function') return
  for (const form of document.querySelectorAll('form[data-autosave]')) watch(document, form)
}

/** The answers in a form's fields, without the token and the version that travel with them. */
function answersOf(data) {
  const answers = new URLSearchParams(data)
  answers.delete('_csrf')
  answers.delete('version')
  return answers.toString()
}

function watch(document, form) {
  const status = form.querySelector('[data-autosave-status]')
  const version = form.querySelector('input[name="version"]')
  if (!status || !version) return

  let saved = answersOf(new FormData(form))
  let refused = null
  let timer
  let lastStart = 0
  let inFlight = null
  let stopped = false

  function say(text, stopping = false) {
    status.textContent = text
    status.classList.toggle('app-autosave-status--stopped', stopping)
    // The words stay in sight at the foot of the window: keep the field being typed in clear of them.
    if (form.contains(document.activeElement)) document.activeElement.scrollIntoView({ block: 'nearest' })
  }

  function schedule(delay) {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(save, Math.max(delay, lastStart + MIN_GAP_MS - Date.now()))
  }

  function save() {
    if (stopped) return
    if (inFlight) {
      inFlight.then(() => schedule(0))
      return
    }
    const data = new FormData(form)
    const answers = answersOf(data)
    if (answers === saved || answers === refused) return
    lastStart = Date.now()
    inFlight = send(new URLSearchParams(data), answers).finally(() => {
      inFlight = null
    })
  }

  async function send(body, answers) {
    let response
    try {
      response = await fetch(form.dataset.autosave, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      })
    } catch {
      // Offline for a moment: the next change tries again.
      say(FAILED)
      return
    }
    const json = (response.headers.get('content-type') ?? '').includes('application/json')
    if (response.ok && json) {
      const result = await response.json()
      version.value = String(result.version)
      saved = answers
      say(`Saved at ${result.time}`)
      document.dispatchEvent(new CustomEvent('app:session-extended'))
    } else if (response.status === 422) {
      refused = answers
      say(NOT_YET_VALID)
    } else {
      // Someone else saved (409), or the session or the form has expired: the button will say which.
      stopped = true
      clearTimeout(timer)
      say(response.status === 409 ? STALE : FAILED, true)
    }
  }

  form.addEventListener('input', () => schedule(QUIET_MS))
  form.addEventListener('focusout', (event) => {
    const field = event.target
    const next = event.relatedTarget
    if (!field.name || field.type === 'submit') return
    // Pressing one of the form's buttons submits the form, which saves what was typed.
    if (next && next.form === form && next.type === 'submit') return
    schedule(0)
  })
  form.addEventListener('submit', (event) => {
    clearTimeout(timer)
    stopped = true
    if (!inFlight) return
    // Let the save under way finish first, so that the form goes with the version it made.
    event.preventDefault()
    const submitter = event.submitter
    inFlight.then(() => form.requestSubmit(submitter))
  })
}
