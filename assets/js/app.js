// Progressive enhancement only: every page works without this file.
import { startAutosave } from '/assets/autosave.js'
import { initAll } from '/assets/govuk-frontend.min.js'
import { startSessionTimeout } from '/assets/session-timeout.js'

initAll()
startSessionTimeout(document)
startAutosave(document)
