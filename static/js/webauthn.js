// Passkeys (WebAuthn) for the second factor: a form marked data-webauthn="create" or "get"
// carries the server's options as JSON in data-webauthn-options. The button asks the browser
// (through allauth's vendored webauthn-json), puts the answer in the hidden credential field
// and submits. No inline script: the strict CSP allows none.
(function () {
  'use strict'

  function start (form) {
    const button = form.querySelector('[data-webauthn-start]')
    const error = form.querySelector('[data-webauthn-error]')
    const credential = form.querySelector('input[name="credential"]')
    if (!button || !credential || !window.webauthnJSON) return
    button.addEventListener('click', async function () {
      if (error) error.hidden = true
      try {
        const data = JSON.parse(form.dataset.webauthnOptions)
        const answer = form.dataset.webauthn === 'create'
          ? await window.webauthnJSON.create(data.creation_options)
          : await window.webauthnJSON.get(data.request_options)
        credential.value = JSON.stringify(answer)
        form.submit()
      } catch (e) {
        if (error) error.hidden = false
      }
    })
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form[data-webauthn]').forEach(start)
  })
})()
