// Team mode's pages for admins (issue 17): the whole team's usage by user and group, its users, groups, keys and
// limits, read and changed through the admin API (/api/team, docs/team-administration.md). app.js loads this file
// only when the server says it runs in team mode, and uses its helpers ($, el, table, api, count, dollars). A key's
// value is shown only in the panel right after it was created or rotated, and leaves the DOM when that panel closes.
'use strict';

(() => {
  const team = { users: [], groups: [], keys: [] };
  const when = (time) => (time ? new Date(time).toLocaleString() : '–');
  const byId = (list, id) => list.find((item) => item.id === id);

  class AdminError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  // The admin API answers Anthropic-shaped errors; their message says what to fix, so it is what the page shows.
  async function call(method, path, body) {
    const options = { method };
    if (body !== undefined || method === 'POST') {
      options.headers = { 'content-type': 'application/json' };
      options.body = JSON.stringify(body ?? {});
    }
    const response = await api(path, options);
    const reply = await response.json().catch(() => ({}));
    if (!response.ok) throw new AdminError(reply.error?.message || `${method} ${path} answered ${response.status}`, response.status);
    return reply;
  }

  function say(testId, message, ok) {
    const status = $(`[data-testid=${testId}]`);
    status.textContent = message;
    status.className = `status ${ok ? 'ok' : 'bad'}`;
  }

  // A form's submit runs the change, says how it went, and reloads what it changed.
  function onSubmit(form, statusId, change) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        say(statusId, await change(new FormData(form)), true);
      } catch (error) {
        if (error instanceof AdminError) say(statusId, error.message, false);
        else if (!(error instanceof Unauthorized)) throw error;
      }
    });
  }

  // A button that changes something for good (revoke, delete) asks for a second click instead of a dialog.
  function confirmButton(label, testId, action, statusId) {
    const button = el('button', { type: 'button', 'data-testid': testId }, label);
    button.addEventListener('click', async () => {
      if (!button.hasAttribute('data-armed')) {
        button.setAttribute('data-armed', '');
        button.textContent = `Really ${label.toLowerCase()}?`;
        return;
      }
      button.disabled = true;
      try {
        say(statusId, await action(), true);
      } catch (error) {
        button.disabled = false;
        if (error instanceof AdminError) say(statusId, error.message, false);
        else if (!(error instanceof Unauthorized)) throw error;
      }
    });
    return button;
  }

  const usageColumns = (label) => [
    [label, 'key', (v) => v || '(none)'],
    ['requests', 'requests', count],
    ['input', 'inputTokens', count],
    ['output', 'outputTokens', count],
    ['tokens', 'tokens', (_, row) => count(tokensOf(row))],
    ['cost', 'cost', dollars],
  ];

  function showUsage(summary) {
    table($('[data-testid=team-by-user]'), usageColumns('user'), summary.byUser || []);
    table($('[data-testid=team-by-group]'), usageColumns('group'), summary.byGroup || []);
  }

  function showUsers() {
    table($('[data-testid=team-users]'), [
      ['email', 'key'], ['name', 'displayName'], ['role', 'role'],
      ['groups', 'groups', (groups) => groups.join(', ') || '–'],
      ['disabled', 'disabled', (disabled) => (disabled ? 'yes' : 'no')],
    ], team.users.map((user) => ({ ...user, key: user.email })));
    const owner = $('#team-key-form select[name=user]');
    const chosen = owner.value;
    owner.replaceChildren(...team.users.map((user) => el('option', { value: user.id }, user.email)));
    if (chosen) owner.value = chosen;
  }

  function describePolicy(policy) {
    const parts = [];
    if (policy.allowedProviders?.length) parts.push(`providers ${policy.allowedProviders.join(', ')}`);
    if (policy.allowedModels?.length) parts.push(`models ${policy.allowedModels.join(', ')}`);
    if (policy.defaultModel) parts.push(`default ${policy.defaultModel}`);
    if (policy.routes) parts.push('own routes');
    if (policy.rules?.length) parts.push(`${policy.rules.length} rule(s)`);
    return parts.join('; ') || 'any provider and model';
  }

  async function loadGroups() {
    const { groups } = await call('GET', '/api/team/groups');
    const policies = await Promise.all(groups.map((group) => call('GET', `/api/team/groups/${encodeURIComponent(group.id)}/policy`)));
    team.groups = groups;
    table($('[data-testid=team-groups]'), [
      ['group', 'key'],
      ['members', 'members', (members) => members.map((member) => member.email).join(', ') || '–'],
      ['policy', 'policy'],
    ], groups.map((group, i) => ({ ...group, key: group.name, policy: describePolicy(policies[i]) })));
  }

  async function loadKeys() {
    const lists = await Promise.all(team.users.map((user) => call('GET', `/api/team/users/${user.id}/keys`)));
    team.keys = lists.flatMap((list) => list.keys);
    team.keys.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    table($('[data-testid=team-keys]'), [
      ['key', 'shown'], ['name', 'name'],
      ['owner', 'userId', (id) => byId(team.users, id)?.email ?? id],
      ['created', 'createdAt', when],
      ['last used', 'lastUsedAt', (time) => (time ? when(time) : 'never')],
      ['expires', 'expiresAt', (time) => (time ? when(time) : 'never')],
      ['revoked', 'revokedAt', (time) => (time ? when(time) : 'no')],
      ['', 'actions', (_, key) => (key.revoked ? '' : keyActions(key))],
    ], team.keys.map((key) => ({ ...key, key: key.prefix })));
  }

  function keyActions(key) {
    const rotate = el('button', { type: 'button', 'data-testid': 'rotate' }, 'Rotate');
    rotate.addEventListener('click', async () => {
      try {
        const created = await call('POST', `/api/team/keys/${key.id}/rotate`);
        showNewKey(created, `replaces ${key.shown}, now revoked`);
        await loadKeys();
      } catch (error) {
        if (error instanceof AdminError) say('team-keys-status', error.message, false);
        else if (!(error instanceof Unauthorized)) throw error;
      }
    });
    const revoke = confirmButton('Revoke', 'revoke', async () => {
      const change = await call('POST', `/api/team/keys/${key.id}/revoke`);
      await loadKeys();
      return `${key.shown} revoked${change.replicasTold ? ' on every replica' : '; other replicas notice within the key cache time (Redis did not answer)'}.`;
    }, 'team-keys-status');
    return el('span', {}, rotate, ' ', revoke);
  }

  // The one place a key's value is shown. Closing the panel removes it from the page: the server keeps only its hash.
  function showNewKey(created, about) {
    const panel = $('#team-new-key');
    const value = el('code', { 'data-testid': 'team-new-key-value' }, created.key);
    const copy = el('button', { type: 'button' }, 'Copy');
    copy.addEventListener('click', () => navigator.clipboard?.writeText(value.textContent));
    const close = el('button', { type: 'button', 'data-testid': 'team-new-key-close' }, 'I have stored it: close');
    close.addEventListener('click', () => {
      panel.replaceChildren();
      panel.hidden = true;
    });
    const owner = byId(team.users, created.info.userId)?.email ?? created.info.userId;
    panel.replaceChildren(
      el('strong', {}, `New key ${created.info.shown} for ${owner}${about ? ` (${about})` : ''}`),
      value, el('p', {}, created.notice), copy, ' ', close);
    panel.hidden = false;
  }

  async function loadLimits() {
    const { limits } = await call('GET', '/api/team/limits');
    const name = (limit) => (limit.subject === 'user' ? byId(team.users, limit.subjectId)?.email
      : limit.subject === 'group' ? byId(team.groups, limit.subjectId)?.name
        : byId(team.keys, limit.subjectId)?.shown) ?? limit.subjectId;
    table($('[data-testid=team-limits]'), [
      ['subject', 'subject'], ['of', 'of'], ['kind', 'kind'],
      ['period', 'period', (period) => period || 'per minute'],
      ['amount', 'amount', (amount, limit) => (limit.kind === 'spend_usd' ? `$${Number(amount).toFixed(2)}` : count(amount))],
      ['', 'actions', (_, limit) => confirmButton('Delete', 'delete', async () => {
        await call('DELETE', `/api/team/limits/${limit.id}`);
        await loadLimits();
        return `The ${limit.kind} limit of ${limit.subject} ${limit.of} is deleted.`;
      }, 'team-limits-status')],
    ], limits.map((limit) => ({ ...limit, of: name(limit), key: `${limit.subject}:${name(limit)}:${limit.kind}:${limit.period || ''}` })));
  }

  async function loadAll() {
    const { users } = await call('GET', '/api/team/users');
    team.users = users;
    showUsers();
    await loadGroups();
    await loadKeys();
    await loadLimits();
  }

  function wireForms() {
    onSubmit($('#team-key-form'), 'team-keys-status', async (form) => {
      const body = { name: form.get('name') };
      if (form.get('expires')) body.expiresAt = `${form.get('expires')}T00:00:00Z`;
      const created = await call('POST', `/api/team/users/${form.get('user')}/keys`, body);
      $('#team-key-form input[name=name]').value = '';
      showNewKey(created);
      await loadKeys();
      return `Key ${created.info.shown} created.`;
    });
    onSubmit($('#team-limit-form'), 'team-limits-status', async (form) => {
      const kind = form.get('kind');
      const body = { subject: form.get('subject'), of: form.get('of'), kind, amount: Number(form.get('amount')) };
      if (kind === 'spend_usd') body.period = form.get('period');
      await call('PUT', '/api/team/limits', body);
      await loadLimits();
      return `Limit set: ${body.subject} ${body.of}, ${kind}${body.period ? ` per ${body.period}` : ''}, ${body.amount}.`;
    });
  }

  window.TeamPages = {
    // Puts the team's pages in place: the sign-in box asks for a Switchboard key, a sign-out button forgets it.
    async start() {
      const login = $('#login');
      login.querySelector('p').textContent = 'This is a team gateway: sign in with your Switchboard key (sb-…). ' +
        'It is kept for this tab only and sent with the dashboard\'s requests.';
      login.key.placeholder = 'sb-…';
      login.key.setAttribute('aria-label', 'Switchboard key');
      const signOut = el('button', { type: 'button', id: 'sign-out', 'data-testid': 'sign-out' }, 'Sign out');
      signOut.addEventListener('click', () => {
        Auth.signOut();
        location.reload();
      });
      $('header').append(signOut);
      const needed = el('section', { id: 'team-admin-needed', 'data-testid': 'team-admin-needed', hidden: '' },
        el('h2', {}, 'Admin key needed'),
        el('p', {}, 'This dashboard shows the whole team\'s usage, users, keys and limits, so it needs an admin\'s key: ' +
          'the key you signed in with belongs to a member. Sign out and sign in with an admin\'s key (an admin can give ' +
          'you the admin role: switchboard team users role <email> admin).'));
      const again = el('button', { type: 'button' }, 'Sign out');
      again.addEventListener('click', () => signOut.click());
      needed.append(again);
      login.after(needed);
      const fragment = await fetch('team.html').then((response) => response.text());
      const holder = el('template');
      holder.innerHTML = fragment;
      $('#dashboard .cards').after(holder.content);
      wireForms();
    },

    // Whether the signed-in key may see the team's pages; a member's is told plainly that it needs an admin's.
    async admit() {
      const needed = $('#team-admin-needed');
      try {
        await call('GET', '/api/team/users');
      } catch (error) {
        if (!(error instanceof AdminError)) throw error;
        // Anything but a refusal (PostgreSQL away: a 503) is for the sections to say; the page still loads.
        if (error.status !== 403) return true;
        $('#dashboard').hidden = true;
        needed.hidden = false;
        return false;
      }
      needed.hidden = true;
      return true;
    },

    load: () => loadAll().catch((error) => {
      if (error instanceof AdminError) say('team-keys-status', error.message, false);
      else throw error;
    }),
    showUsage,
  };
})();
