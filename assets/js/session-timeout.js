// Warns before an idle session ends and offers to keep it. The server ends idle sessions by
// itself; this only tells the person in time (WCAG 2.2.1 Timing Adjustable).

export function startSessionTimeout(document) {
  const body = document.body
  const idleSeconds = Number(body.dataset.sessionIdleSeconds)
  const warningSeconds = Number(body.dataset.sessionWarningSeconds)
  const dialog = document.getElementById('session-timeout')
  if (!idleSeconds || !warningSeconds || !dialog || typeof dialog.showModal !== 'function') return

  const countdown = dialog.querySelector('[data-timeout-countdown]')
  const stay = dialog.querySelector('[data-timeout-stay]')
  let warningTimer
  let endTimer
  let tick

  function describe(seconds) {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60)
      return `${minutes} minute${minutes === 1 ? '' : 's'}`
    }
    return `${seconds} second${seconds === 1 ? '' : 's'}`
  }

  function schedule() {
    clearTimeout(warningTimer)
    clearTimeout(endTimer)
    clearInterval(tick)
    warningTimer = setTimeout(warn, (idleSeconds - warningSeconds) * 1000)
    endTimer = setTimeout(() => {
      window.location.href = '/signed-out?reason=idle'
    }, idleSeconds * 1000)
  }

  function warn() {
    let left = warningSeconds
    countdown.textContent = describe(left)
    dialog.showModal()
    stay.focus()
    // Screen readers hear the dialog once; the countdown is updated each minute, not each second.
    tick = setInterval(() => {
      left -= 1
      if (left % 60 === 0 || left < 60) countdown.textContent = describe(left)
    }, 1000)
  }

  stay.addEventListener('click', async () => {
    const response = await fetch('/session/keep-alive', {
      method: 'POST',
      headers: { 'x-csrf-token': stay.dataset.csrf },
      credentials: 'same-origin',
    })
    dialog.close()
    if (response.ok) schedule()
    else window.location.href = '/signed-out?reason=idle'
  })

  // A save made in the background (autosave) moved the server's idle clock on, as a page would.
  document.addEventListener('app:session-extended', () => {
    if (!dialog.open) schedule()
  })

  schedule()
}
