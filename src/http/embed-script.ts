// The script a site adds to its form page (GET /embed.js): fetches a render token, adds the honeypot and page fields, submits with fetch.

/** Field names the intake reads besides the form's own fields. */
export const embedFields = {
  token: 'lg_render_token',
  pageUrl: 'lg_page_url',
  referrer: 'lg_referrer',
} as const;

// Plain ES5 so it runs on whatever the site's visitors use; no build step, no dependencies.
export const embedScript = `/* LeadGuard embed: add data-leadguard-form="FORM_KEY" to your <form>. */
(function () {
  'use strict';
  var me = document.currentScript;
  var base = me && me.src ? me.src.replace(/\\/embed\\.js(?:[?#].*)?$/, '') : '';
  var FIELDS = ${JSON.stringify(embedFields)};

  function hidden(form, name, value) {
    var input = form.querySelector('input[name="' + name + '"]');
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function addHoneypot(form, name) {
    if (!name || form.querySelector('input[name="' + name + '"]')) return;
    // Off-screen, out of the tab order and hidden from assistive tech: only bots fill it.
    var box = document.createElement('div');
    box.setAttribute('aria-hidden', 'true');
    box.style.cssText = 'position:absolute!important;left:-10000px!important;top:auto!important;width:1px!important;height:1px!important;overflow:hidden!important;';
    var input = document.createElement('input');
    input.type = 'text';
    input.name = name;
    input.value = '';
    input.tabIndex = -1;
    input.setAttribute('autocomplete', 'off');
    // Password managers skip fields marked like this; the name itself avoids autofill words.
    input.setAttribute('data-lpignore', 'true');
    input.setAttribute('data-1p-ignore', 'true');
    input.setAttribute('data-bwignore', 'true');
    input.setAttribute('data-form-type', 'other');
    box.appendChild(input);
    form.appendChild(box);
  }

  // Resolves true when the token came back: the server lets this page read its answers (CORS),
  // so a fetch post's outcome can be known. Otherwise only a normal post is used, never both.
  function fetchToken(form, key) {
    return fetch(base + '/api/v1/forms/' + encodeURIComponent(key) + '/token', { credentials: 'omit', cache: 'no-store' })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) return false;
        hidden(form, FIELDS.token, body.token);
        addHoneypot(form, body.honeypotField);
        return true;
      })
      .catch(function () { return false; /* the post still works without a token; it only scores higher */ });
  }

  function setup(form) {
    if (form.getAttribute('data-leadguard-ready')) return;
    form.setAttribute('data-leadguard-ready', '1');
    var key = form.getAttribute('data-leadguard-form');
    var action = base + '/api/v1/forms/' + encodeURIComponent(key) + '/submissions';
    form.setAttribute('action', action);
    form.setAttribute('method', 'post');
    hidden(form, FIELDS.pageUrl, location.href);
    hidden(form, FIELDS.referrer, document.referrer || '');
    var ready = fetchToken(form, key);

    form.addEventListener('submit', function (event) {
      if (!window.fetch || !window.FormData) return;
      event.preventDefault();
      var post = function () { HTMLFormElement.prototype.submit.call(form); };
      ready.then(function (readable) {
        // A blocked read would hide whether the server already took the lead: post normally instead.
        if (!readable) return post();
        return fetch(action, { method: 'POST', body: new FormData(form), credentials: 'omit', headers: { Accept: 'application/json' } })
          .then(function (response) {
            // The server answered: a 4xx page explains itself better in a normal post; it stored nothing.
            if (!response.ok) return post();
            return response.json().then(function (body) {
              form.dispatchEvent(new CustomEvent('leadguard:submitted', { bubbles: true }));
              if (body && body.redirect) location.assign(body.redirect);
              else form.setAttribute('data-leadguard-sent', '1');
            });
          }, function () {
            // No answer at all (network): posting again may store it twice, which beats losing it;
            // the repeated render token marks the copy as a replay.
            post();
          });
      });
    });
  }

  function scan() {
    var forms = document.querySelectorAll('form[data-leadguard-form]');
    for (var i = 0; i < forms.length; i++) setup(forms[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
})();
`;
