// How the dashboard's requests say who is calling, in one place so that a browser sign-in (OIDC, issue 18) can
// replace it. The key pasted into the sign-in box stays in this tab's sessionStorage (gone with the tab; never
// localStorage, never a cookie a request from another site could carry) and goes as x-api-key: the daemon reads it
// as its apiKey on the local path, and in team mode as a user's Switchboard key (sb-…) or the operator key.
'use strict';

const Auth = {
  store: 'switchboard-key',
  headers() {
    const key = sessionStorage.getItem(this.store);
    return key ? { 'x-api-key': key } : {};
  },
  signIn(key) { sessionStorage.setItem(this.store, key.trim()); },
  signOut() { sessionStorage.removeItem(this.store); },
};
